using System.Text.Json;
using System.Text.Json.Serialization;
using OpenCvSharp;

namespace GradCam.Video.Sinks;

/// <summary>
/// Writes a JSON Lines timeline, one line per frame: <c>frame</c>, <c>timestampMs</c>, <c>topK</c>, <c>target</c>,
/// <c>peak</c> (the heatmap's maximum in source pixels), <c>explainedFrame</c> (the frame the explanation comes from)
/// and <c>latencyMs</c> per stage. Each line is flushed as it is written, so a stopped run leaves a complete file.
/// </summary>
public sealed class TimelineSink : IFrameSink
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly StreamWriter _writer;
    private readonly Size _sourceSize;

    /// <summary>One timeline line.</summary>
    public sealed record Line(long Frame, double TimestampMs, IReadOnlyList<TopClass>? TopK, int? Target, Point2? Peak,
                              long? ExplainedFrame, Latency LatencyMs);

    /// <summary>A top class.</summary>
    public sealed record TopClass(int Index, string Label, float Probability);

    /// <summary>A position in source pixels.</summary>
    public sealed record Point2(int X, int Y);

    /// <summary>Stage latencies in milliseconds.</summary>
    public sealed record Latency(double Decode, double Preprocess, double Queue, double Inference, double Compose, double Total);

    /// <summary>Creates (or replaces) the timeline file.</summary>
    public TimelineSink(string path, Size sourceSize)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _writer = new StreamWriter(full, append: false) { AutoFlush = true };
        _sourceSize = sourceSize;
    }

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    /// <inheritdoc />
    public void Write(Frame frame)
    {
        var e = frame.Explanation;
        Point2? peak = null;
        if (e is not null)
        {
            // The heatmap's peak, from model-input pixels to source pixels.
            var (x, y) = e.Heatmap.PeakIn(_sourceSize.Width, _sourceSize.Height);
            peak = new Point2(x, y);
        }
        var l = frame.Latency;
        var line = new Line(frame.Index, Math.Round(frame.TimestampMs, 3),
            e?.TopK.Select(c => new TopClass(c.Index, c.Label, c.Probability)).ToArray(), e?.TargetClass, peak,
            e is null ? null : frame.ExplainedFrame,
            new Latency(R(l.Decode), R(l.Preprocess), R(l.Queue), R(l.Inference), R(l.Compose), R(l.Total)));
        _writer.WriteLine(JsonSerializer.Serialize(line, s_json));
        Lines++;
    }

    private static double R(double ms) => Math.Round(ms, 2);

    /// <inheritdoc />
    public void Complete() => _writer.Flush();

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
