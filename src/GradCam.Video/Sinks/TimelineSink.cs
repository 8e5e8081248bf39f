using System.Text.Json;
using System.Text.Json.Serialization;
using GradCam.IO;
using OpenCvSharp;

namespace GradCam.Video.Sinks;

/// <summary>
/// Writes a JSON Lines timeline, one line per frame: <c>frame</c>, <c>timestampMs</c>, <c>topK</c>, <c>target</c>,
/// <c>peak</c> (the heatmap's maximum in source pixels), <c>explainedFrame</c> (the frame the explanation comes from),
/// <c>latencyMs</c> per stage and, on a frame with a new explanation, <c>change</c> (<c>map</c>, <c>heat</c>, <c>scene</c>: how much
/// the heat shown and the scene changed since the previous explained frame). Each line is flushed as it is written, under a temporary name that
/// <see cref="Complete"/> moves over the target: a stopped run leaves a complete file, a write that fails (a full disk)
/// leaves the lines before it and never half a line, and a run with no frame leaves an existing file untouched.
/// </summary>
public sealed class TimelineSink : IFrameSink
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _stream;
    private readonly PendingFile _file;
    private readonly Size _sourceSize;
    private long _complete; // bytes of whole lines
    private bool _completed;

    /// <summary>One timeline line.</summary>
    /// <remarks>For a detector, <c>detections</c> lists the frame's boxes in source pixels and <c>box</c> the rank explained.</remarks>
    public sealed record Line(long Frame, double TimestampMs, IReadOnlyList<TopClass>? TopK, int? Target, Point2? Peak,
                              long? ExplainedFrame, Latency LatencyMs, string? Error = null,
                              IReadOnlyList<Box>? Detections = null, int? Box = null, Change? Change = null);

    /// <summary>How much the heat shown changed since the previous explained frame (<see cref="GradCam.Evaluation.FrameChange"/>).</summary>
    public sealed record Change(double Map, double Heat, double Scene);

    /// <summary>A detected box in source pixels.</summary>
    public sealed record Box(int Rank, int Class, string Label, float Score, int[] Xyxy);

    /// <summary>The <c>error</c> of a line whose model output is not finite (such a line has no classes and no peak: JSON has no NaN).</summary>
    public const string NonFinite = "the model's output is not finite (NaN or infinity)";

    /// <summary>A top class.</summary>
    public sealed record TopClass(int Index, string Label, float Probability);

    /// <summary>A position in source pixels.</summary>
    public sealed record Point2(int X, int Y);

    /// <summary>Stage latencies in milliseconds.</summary>
    public sealed record Latency(double Decode, double Preprocess, double Queue, double Inference, double Compose, double Total);

    /// <summary>Prepares the timeline file (it replaces an existing one when the run completes).</summary>
    /// <exception cref="IOException">The file cannot be written; the message names it.</exception>
    public TimelineSink(string path, Size sourceSize)
    {
        _file = new PendingFile(path, "timeline");
        try
        {
            _stream = new FileStream(_file.TempPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"timeline '{path}' cannot be written: {e.Message}", e);
        }
        _sourceSize = sourceSize;
    }

    /// <summary>The timeline's full path.</summary>
    public string OutputPath => _file.Path;

    /// <summary>Whether <see cref="Complete"/> put the timeline in place (false when no line was written).</summary>
    public bool Written => _file.Committed;

    /// <summary>Lines written.</summary>
    public long Lines { get; private set; }

    private Box Boxed(GradCam.Detectors.Detection d, GradCam.Engine.Explanation e)
    {
        var b = d.Box.Scaled((double)_sourceSize.Width / e.Heatmap.Width, (double)_sourceSize.Height / e.Heatmap.Height);
        return new Box(d.Rank, d.Class, d.Label, MathF.Round(d.Score, 4), [(int)Math.Round(b.X1), (int)Math.Round(b.Y1), (int)Math.Round(b.X2), (int)Math.Round(b.Y2)]);
    }

    /// <inheritdoc />
    public void Write(Frame frame)
    {
        var e = frame.Explanation;
        string? problem = null;
        if (e is { IsFinite: false })
        {
            problem = NonFinite;
            e = null;
        }
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
            new Latency(R(l.Decode), R(l.Preprocess), R(l.Queue), R(l.Inference), R(l.Compose), R(l.Total)), problem,
            e is { Detections.Count: > 0 } ? e.Detections.Select(d => Boxed(d, e)).ToArray() : null, e?.Detection?.Rank,
            frame.Change is { } c && e is not null ? new Change(Math.Round(c.Map, 4), Math.Round(c.Heat, 4), Math.Round(c.Scene, 4)) : null);
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(line, s_json);
        try
        {
            _stream.Write(bytes);
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: false);
        }
        catch (IOException error)
        {
            Truncate();
            throw new IOException($"timeline '{OutputPath}' could not be written after {Lines} lines: {error.Message.Replace($" : '{_file.TempPath}'", "")}", error);
        }
        _complete += bytes.Length + 1;
        Lines++;
    }

    private void Truncate()
    {
        try
        {
            _stream.SetLength(_complete);
        }
        catch (IOException)
        {
            // Shortening a file needs no space; if even that fails, the file is discarded at completion.
        }
    }

    private static double R(double ms) => Math.Round(ms, 2);

    /// <summary>Closes the timeline and moves it into place; with no line written, nothing is written.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        try
        {
            _stream.Flush();
            if (_stream.Length != _complete) _stream.SetLength(_complete);
        }
        catch (IOException)
        {
            Truncate();
        }
        _stream.Dispose();
        if (Lines == 0 || new FileInfo(_file.TempPath).Length != _complete) _file.Discard();
        else _file.Commit();
    }

    /// <summary>Closes the file; a timeline not completed (the run never started) is discarded.</summary>
    public void Dispose()
    {
        if (_completed) return;
        _completed = true;
        _stream.Dispose();
        _file.Discard();
    }
}
