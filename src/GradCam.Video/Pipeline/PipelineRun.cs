using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>The state of one run of a pipeline: its options, counters, frame buffers, stages and channels.</summary>
internal sealed class PipelineRun : IDisposable
{
    private volatile Frame? _latest;

    public PipelineRun(PipelinePolicy policy, PipelineOptions options, PipelineStats stats, CancellationTokenSource stop)
    {
        Options = options;
        Stats = stats;
        Pool = new MatPool(4 * options.ChannelCapacity + 8);
        Stages = new StageRunner<Frame>(stop);
        Decoded = policy.ModelQueue(this);
        Prepared = policy.ModelQueue(this);
        ToCompose = policy.ComposeQueue(this);
        Composed = Channel.CreateBounded<Frame>(new BoundedChannelOptions(options.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    public PipelineOptions Options { get; }

    public PipelineStats Stats { get; }

    public MatPool Pool { get; }

    public StageRunner<Frame> Stages { get; }

    /// <summary>Source → preprocess.</summary>
    public Channel<Frame> Decoded { get; }

    /// <summary>Preprocess → inference.</summary>
    public Channel<Frame> Prepared { get; }

    /// <summary>Inference (replay) or the source (live) → compose.</summary>
    public Channel<Frame> ToCompose { get; }

    /// <summary>Compose → sinks.</summary>
    public Channel<Frame> Composed { get; }

    /// <summary>The newest explained frame (live: written by inference, read by compose; replay: the last one in order).</summary>
    public Frame? Latest
    {
        get => _latest;
        set => _latest = value;
    }

    /// <summary>A frame is done: its tensors and drawing are freed, its buffer goes back to the pool.</summary>
    public void Release(Frame frame)
    {
        frame.Input?.Dispose();
        frame.Input = null;
        frame.Composed?.Dispose();
        Pool.Return(frame.Image);
    }

    public void Dispose()
    {
        Stages.Dispose();
        Pool.Dispose();
    }
}
