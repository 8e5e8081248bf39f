using GradCam.Engine;
using GradCam.Imaging;

namespace GradCam.Video.Pipeline;

/// <summary>
/// Explains a video: frames from a source are explained in batches, drawn with their heatmap and handed to sinks.
/// Built in one expression and run once:
/// <code>
/// using var video = VideoExplainer.Replay(source, explainer, new PipelineOptions { BatchSize = 4 })
///     .Overlay(new OverlaySettings { Alpha = 0.4 })
///     .To(new VideoFileSink("out.mp4", source.Fps, source.Size), new TimelineSink("out.jsonl", source.Size));
/// PipelineStats stats = await video.RunAsync(cancellationToken);
/// </code>
/// The explainer owns its stats and the sinks it is given (disposed with it); the source and explainer stay the caller's.
/// </summary>
public sealed class VideoExplainer : IDisposable
{
    private readonly IFrameSource _source;
    private readonly GradCamExplainer _explainer;
    private readonly List<IFrameSink> _sinks = [];
    private CancellationTokenSource? _stop;
    private readonly CancellationTokenSource _halt = new();
    private readonly TaskCompletionSource _sinksCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopRequested;
    private bool _started, _disposed;
    private HeatmapSmoother _smoother = new();

    private VideoExplainer(IFrameSource source, GradCamExplainer explainer, PipelinePolicy policy, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(explainer);
        options.Validate();
        _source = source;
        _explainer = explainer;
        Policy = policy;
        Options = options;
    }

    /// <summary>A recording, explained frame by frame in order (<see cref="PipelinePolicy.Replay"/>).</summary>
    public static VideoExplainer Replay(IFrameSource source, GradCamExplainer explainer, PipelineOptions? options = null) =>
        new(source, explainer, PipelinePolicy.Replay, options ?? new PipelineOptions());

    /// <summary>
    /// A live source, explained in real time (<see cref="PipelinePolicy.Live"/>); by default one frame per forward pass and
    /// no waiting for a batch to fill, the lowest latency.
    /// </summary>
    public static VideoExplainer Live(IFrameSource source, GradCamExplainer explainer, PipelineOptions? options = null) =>
        new(source, explainer, PipelinePolicy.Live, options ?? new PipelineOptions { BatchSize = 1, MaxBatchWait = TimeSpan.Zero });

    /// <summary>The policy: live or replay.</summary>
    public PipelinePolicy Policy { get; }

    /// <summary>Batch size, target, frame selection.</summary>
    public PipelineOptions Options { get; }

    /// <summary>Live counters (the HUD and progress sinks read them while the pipeline runs).</summary>
    public PipelineStats Stats { get; } = new();

    /// <summary>How frames are drawn; the default draws a Jet overlay and the HUD.</summary>
    public OverlaySettings OverlaySettings { get; private set; } = new();

    /// <summary>The sinks frames go to, in order.</summary>
    public IReadOnlyList<IFrameSink> Sinks => _sinks;

    /// <summary>The number of frames a progress display can count to: the source's length in replay, none live.</summary>
    public long? ExpectedFrames => Policy == PipelinePolicy.Replay && _source.FrameCount is long n ? n : null;

    /// <summary>Sets how frames are drawn and how heat is smoothed and scaled across frames (default: running normalisation, no EMA).</summary>
    public VideoExplainer Overlay(OverlaySettings settings, HeatmapSmoother? smoother = null)
    {
        OverlaySettings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (smoother is not null) _smoother = smoother;
        return this;
    }

    /// <summary>Adds sinks; they are completed when the run ends and disposed with this object.</summary>
    public VideoExplainer To(params IFrameSink[] sinks)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var sink in sinks) _sinks.Add(sink ?? throw new ArgumentNullException(nameof(sinks)));
        return this;
    }

    /// <summary>
    /// Asks the run to stop reading the source: the batch in inference is finished, the frames explained are drawn and
    /// written, those not yet explained are dropped, and the sinks are completed. Safe from any thread, before or during the run.
    /// </summary>
    public void Stop()
    {
        _stopRequested = true;
        try { _stop?.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>
    /// Ends at once (a second Ctrl+C): stops reading, explains and draws nothing more, and completes the sinks with what
    /// they hold — a video is finalised and playable, a timeline has whole lines. <see cref="SinksCompleted"/> completes
    /// then; <see cref="RunAsync"/> still waits for the batch in inference, which cannot be interrupted.
    /// </summary>
    public void Abort()
    {
        Stop();
        try { _halt.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Completes when the sinks have been completed (the outputs are closed and in place), at the end of a run or after <see cref="Abort"/>.</summary>
    public Task SinksCompleted => _sinksCompleted.Task;

    /// <summary>
    /// Runs until the source ends, <paramref name="cancellationToken"/> fires or <see cref="Stop"/> is called, and returns
    /// the counters. A stage's failure (a sink that cannot write, a model that throws) ends the run after the frames before
    /// it and is rethrown here.
    /// </summary>
    public async Task<PipelineStats> RunAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) throw new InvalidOperationException("a VideoExplainer runs once");
        _started = true;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop = stop;
        if (_stopRequested) stop.Cancel();
        try
        {
            var composer = new FrameComposer(OverlaySettings, _smoother, Stats);
            await new ExplainPipeline(_source, _explainer, composer, _sinks, Policy, Options, Stats).RunAsync(stop.Token, _halt.Token, _sinksCompleted);
            return Stats;
        }
        finally
        {
            WasStopped = stop.IsCancellationRequested;
            _stop = null;
        }
    }

    /// <summary>Whether the run ended because it was stopped or cancelled rather than at the source's end.</summary>
    public bool WasStopped { get; private set; }

    /// <summary>Disposes the sinks.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var sink in _sinks) sink.Dispose();
        _halt.Dispose();
    }
}
