namespace GradCam.LiveView.Pipeline;

/// <summary>What to do when inference is slower than the source.</summary>
public enum PipelinePolicy
{
    /// <summary>Never let latency grow: stale frames are dropped before inference (latest wins) and counted; every
    /// frame is still shown, with the most recent heatmap.</summary>
    Live,

    /// <summary>Never drop: the source waits (backpressure), every selected frame is explained, output stays in order.</summary>
    Replay,
}

/// <summary>Pipeline tuning.</summary>
public sealed class PipelineOptions
{
    /// <summary>The policy.</summary>
    public PipelinePolicy Policy { get; init; } = PipelinePolicy.Replay;

    /// <summary>Frames per forward pass, at most.</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>How long inference waits for a batch to fill once it has a frame.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Replay: explain every N-th frame (the frames between show the latest heatmap).</summary>
    public int Every { get; init; } = 1;

    /// <summary>Target class for every frame; top-1 when null.</summary>
    public int? Target { get; init; }

    /// <summary>Top classes recorded per frame.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Capacity of each channel between stages (replay); live uses 1 before inference.</summary>
    public int ChannelCapacity { get; init; } = 8;
}
