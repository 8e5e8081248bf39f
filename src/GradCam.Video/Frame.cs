using System.Diagnostics;
using GradCam.Engine;
using OpenCvSharp;
using TorchSharp;

namespace GradCam.Video;

/// <summary>One frame on its way through the pipeline, with what each stage added and how long it took.</summary>
public sealed class Frame
{
    internal Frame(long index, double timestampMs, Mat image)
    {
        Index = index;
        TimestampMs = timestampMs;
        Image = image;
        CapturedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The frame's index in the source (0-based).</summary>
    public long Index { get; }

    /// <summary>The frame's time in the source, in milliseconds.</summary>
    public double TimestampMs { get; }

    /// <summary>The BGR image (pooled: valid until the sinks are done with the frame).</summary>
    public Mat Image { get; }

    /// <summary>When the source produced it (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long CapturedAt { get; }

    /// <summary>Whether this frame is explained (replay explains every N-th frame, live the latest one).</summary>
    public bool ToExplain { get; internal set; }

    /// <summary>Model input, between the preprocess and inference stages.</summary>
    internal torch.Tensor? Input { get; set; }

    /// <summary>The explanation shown with this frame: its own, or the latest one of an earlier frame.</summary>
    public Explanation? Explanation { get; internal set; }

    /// <summary>The frame the explanation belongs to.</summary>
    public long ExplainedFrame { get; internal set; } = -1;

    /// <summary>
    /// How much the explanation shown changed from the previous one, beside how much the scene did
    /// (<see cref="GradCam.Evaluation.FrameChange"/>); set on the frame that first shows a new explanation.
    /// </summary>
    public GradCam.Evaluation.FrameChange? Change { get; internal set; }

    /// <summary>The explained frame's luminance on its map's grid, for the temporal stability metric; set with every explanation.</summary>
    internal CamMap? Scene { get; set; }

    /// <summary>The frame as shown: overlay and HUD.</summary>
    public Mat? Composed { get; internal set; }

    /// <summary>Per-stage latencies in milliseconds.</summary>
    public StageLatencies Latency { get; } = new();
}
