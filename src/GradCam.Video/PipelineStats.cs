using System.Diagnostics;

namespace GradCam.Video;

/// <summary>Counters of a running pipeline, safe to read from any thread.</summary>
public sealed class PipelineStats
{
    private long _captured, _explained, _dropped, _displayDropped, _corrupt, _written, _nonFinite;
    private long _firstNonFinite = -1;
    private double _modelFps, _latencyMs;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Frames read from the source.</summary>
    public long Captured => Interlocked.Read(ref _captured);

    /// <summary>Frames explained by the model.</summary>
    public long Explained => Interlocked.Read(ref _explained);

    /// <summary>Frames the live policy dropped before inference because a newer one had arrived.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Live: frames not shown because drawing fell behind the source (the display keeps the newest).</summary>
    public long DisplayDropped => Interlocked.Read(ref _displayDropped);

    /// <summary>Frames the source could not decode (skipped).</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    /// <summary>Explained frames whose model output was not finite (NaN or infinity): shown without a heatmap.</summary>
    public long NonFinite => Interlocked.Read(ref _nonFinite);

    /// <summary>The first frame whose model output was not finite; -1 when none was.</summary>
    public long FirstNonFiniteFrame => Interlocked.Read(ref _firstNonFinite);

    /// <summary>Frames that reached the sinks.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Explained frames per second of inference time (smoothed).</summary>
    public double ModelFps => Volatile.Read(ref _modelFps);

    /// <summary>Capture-to-screen latency of the latest explained frame, in milliseconds (smoothed).</summary>
    public double LatencyMs => Volatile.Read(ref _latencyMs);

    /// <summary>Seconds since the pipeline started.</summary>
    public double ElapsedSeconds => _clock.Elapsed.TotalSeconds;

    /// <summary>The largest capture-to-composed latency seen, in milliseconds.</summary>
    public double MaxLatencyMs { get; private set; }

    private GradCam.Evaluation.TemporalStability _stability = GradCam.Evaluation.TemporalStability.None, _recentStability = GradCam.Evaluation.TemporalStability.None;

    /// <summary>How much the heat shown changed between consecutive explained frames over the whole run, beside the scene's change.</summary>
    public GradCam.Evaluation.TemporalStability Stability => Volatile.Read(ref _stability);

    /// <summary>The same over the last explained frames (<see cref="GradCam.Evaluation.TemporalStabilityMeter.Recent"/>), for the HUD.</summary>
    public GradCam.Evaluation.TemporalStability RecentStability => Volatile.Read(ref _recentStability);

    internal void OnStability(GradCam.Evaluation.TemporalStability total, GradCam.Evaluation.TemporalStability recent)
    {
        Volatile.Write(ref _stability, total);
        Volatile.Write(ref _recentStability, recent);
    }

    internal void OnCaptured() => Interlocked.Increment(ref _captured);

    internal void OnDropped() => Interlocked.Increment(ref _dropped);

    internal void OnDisplayDropped() => Interlocked.Increment(ref _displayDropped);

    internal void OnCorrupt() => Interlocked.Increment(ref _corrupt);

    /// <summary>Frames whose target did not exist (a box rank the frame's detections do not reach).</summary>
    public long TargetMissing => Interlocked.Read(ref _targetMissing);

    private long _targetMissing;

    internal void OnTargetMissing(long frame) => Interlocked.Increment(ref _targetMissing);

    internal void OnNonFinite(long frame)
    {
        Interlocked.Increment(ref _nonFinite);
        Interlocked.CompareExchange(ref _firstNonFinite, frame, -1);
    }

    internal void OnWritten(double totalLatencyMs)
    {
        Interlocked.Increment(ref _written);
        if (totalLatencyMs > MaxLatencyMs) MaxLatencyMs = totalLatencyMs;
    }

    internal void OnExplained(int frames, double batchMs)
    {
        Interlocked.Add(ref _explained, frames);
        double fps = frames / Math.Max(batchMs, 1e-3) * 1000;
        Volatile.Write(ref _modelFps, _modelFps == 0 ? fps : 0.8 * _modelFps + 0.2 * fps);
    }

    internal void OnLatency(double ms) => Volatile.Write(ref _latencyMs, _latencyMs == 0 ? ms : 0.8 * _latencyMs + 0.2 * ms);
}
