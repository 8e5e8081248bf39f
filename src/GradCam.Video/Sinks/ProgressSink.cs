
namespace GradCam.Video.Sinks;

/// <summary>A progress line on standard error: frames, fps, ETA (redrawn in place on a terminal, every few seconds otherwise).</summary>
public sealed class ProgressSink : IFrameSink
{
    private readonly PipelineStats _stats;
    private readonly long? _total;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private double _lastDraw = double.NegativeInfinity;
    private long _frames;

    /// <summary>Creates the progress display.</summary>
    public ProgressSink(PipelineStats stats, long? totalFrames, TextWriter? output = null)
    {
        _stats = stats;
        _total = totalFrames;
        _out = output ?? Console.Error;
        _interactive = output is null && !Console.IsErrorRedirected;
    }

    /// <inheritdoc />
    public void Write(Frame frame)
    {
        _frames++;
        double now = _clock.Elapsed.TotalSeconds;
        if (now - _lastDraw >= (_interactive ? 0.25 : 5)) Draw(now, final: false);
    }

    /// <inheritdoc />
    public void Complete() => Draw(_clock.Elapsed.TotalSeconds, final: true);

    private void Draw(double now, bool final)
    {
        _lastDraw = now;
        double fps = _frames / Math.Max(now, 1e-3);
        string count = _total is long t ? $"{_frames}/{t} ({100.0 * _frames / Math.Max(1, t):0}%)" : $"{_frames}";
        string eta = _total is long total && fps > 0 && !final ? $" ETA {TimeSpan.FromSeconds((total - _frames) / fps):mm\\:ss}" : "";
        string extra = (_stats.Dropped > 0 ? $", {_stats.Dropped} dropped" : "") + (_stats.Corrupt > 0 ? $", {_stats.Corrupt} corrupt" : "");
        string text = $"frames {count}  {fps:0.0} fps{eta}{extra}";
        if (_interactive) _out.Write($"\r{text,-72}" + (final ? "\n" : ""));
        else _out.WriteLine(text);
    }

    /// <inheritdoc />
    public void Dispose() { }
}
