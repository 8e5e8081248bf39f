using GradCam.Engine.Targets;

namespace GradCam.Video.Pipeline;

/// <summary>Pipeline tuning.</summary>
public sealed class PipelineOptions
{
    /// <summary>The default <see cref="BatchSize"/>: the one place it is written for the video pipeline and the investigation.</summary>
    public const int DefaultBatchSize = 4;

    /// <summary>Frames per forward pass, at most.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>How long inference waits for a batch to fill once it has a frame.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Replay: explain every N-th frame (the frames between show the latest heatmap).</summary>
    public int Every { get; init; } = 1;

    /// <summary>What every frame's map explains (a class, an output element, a detected box); the top-1 class when null.</summary>
    public ExplainTarget? Target { get; init; }

    /// <summary>Top classes recorded per frame.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>Capacity of each channel between stages (replay); live uses 1 before inference.</summary>
    public int ChannelCapacity { get; init; } = 8;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, got {BatchSize}", nameof(BatchSize));
        if (Every < 1) throw new ArgumentException($"Every must be at least 1, got {Every}", nameof(Every));
        if (TopK < 1) throw new ArgumentException($"TopK must be at least 1, got {TopK}", nameof(TopK));
        if (ChannelCapacity < 1) throw new ArgumentException($"ChannelCapacity must be at least 1, got {ChannelCapacity}", nameof(ChannelCapacity));
        if (MaxBatchWait < TimeSpan.Zero) throw new ArgumentException($"MaxBatchWait must not be negative, got {MaxBatchWait}", nameof(MaxBatchWait));
    }
}
