using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>The state of one run of a pipeline: its options, counters, frame buffers, stages and channels.</summary>
internal sealed class PipelineRun : IDisposable
{
    private volatile Frame? _latest;

    public PipelineRun(PipelinePolicy policy, PipelineOptions options, PipelineStats stats, CancellationToken stop, CancellationToken halt)
    {
        Options = options;
        Stats = stats;
        Stop = stop;
        Halt = halt;
        Pool = new MatPool(4 * options.ChannelCapacity + 8);
        Stages = new StageRunner<Frame>(stop, halt);
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

    /// <summary>Cancelled to end at once: nothing more is explained or drawn, the sinks are completed with what they have.</summary>
    public CancellationToken Halt { get; }

    /// <summary>The caller's stop (Ctrl+C): read nothing more, write what is explained.</summary>
    public CancellationToken Stop { get; }

    /// <summary>
    /// Whether frames not yet explained are dropped: the caller stopped or halted the run. After a stage's failure the
    /// frames handed over before it are still finished.
    /// </summary>
    public bool Draining => Stop.IsCancellationRequested || Halt.IsCancellationRequested;

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
