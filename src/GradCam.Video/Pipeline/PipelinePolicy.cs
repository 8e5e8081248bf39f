using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>
/// What a pipeline does when inference is slower than the source: how its channels are laid out, whether a full one
/// drops or waits, and which explanation each frame shows. <see cref="Replay"/> and <see cref="Live"/> are the two policies.
/// </summary>
public abstract class PipelinePolicy
{
    /// <summary>Never drop: the source waits (backpressure), every selected frame is explained, output stays in order.</summary>
    public static PipelinePolicy Replay { get; } = new ReplayPolicy();

    /// <summary>Never let latency grow: stale frames are dropped before inference (latest wins) and counted; every
    /// frame is still shown, with the most recent heatmap.</summary>
    public static PipelinePolicy Live { get; } = new LivePolicy();

    /// <summary>"replay" or "live".</summary>
    public abstract string Name { get; }

    /// <summary>Whether a file is read at its own frame rate, as a camera would deliver it.</summary>
    internal abstract bool PacesFileSources { get; }

    /// <summary>Whether the frames to compose come straight from the source (live) or from inference (replay).</summary>
    internal abstract bool ComposesCapturedFrames { get; }

    /// <summary>The queue in front of preprocessing and in front of inference.</summary>
    internal abstract Channel<Frame> ModelQueue(PipelineRun run);

    /// <summary>The queue in front of composing.</summary>
    internal abstract Channel<Frame> ComposeQueue(PipelineRun run);

    /// <summary>Hands a captured frame on; false when the run is stopping and the source should stop reading.</summary>
    internal abstract bool Captured(Frame frame, PipelineRun run);

    /// <summary>Hands a batch on once inference is done with it.</summary>
    internal abstract void Explained(IReadOnlyList<Frame> batch, PipelineRun run);

    /// <summary>Gives a frame the explanation it is shown with; returns the capture time its latency is measured from (null: none yet).</summary>
    internal abstract long? Show(Frame frame, PipelineRun run);

    /// <inheritdoc />
    public override string ToString() => Name;

    private protected static Channel<Frame> Bounded(int capacity) => Channel.CreateBounded<Frame>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    /// <summary>A queue where, when full, the oldest waiting frame gives way to the new one; <paramref name="onDropped"/> counts it.</summary>
    private protected static Channel<Frame> DropOldest(int capacity, PipelineRun run, Action onDropped) =>
        Channel.CreateBounded<Frame>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        }, dropped =>
        {
            onDropped();
            run.Release(dropped);
        });
}
