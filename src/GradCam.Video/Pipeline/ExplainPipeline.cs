using System.Diagnostics;
using GradCam.Engine;
using GradCam.Imaging;
using TorchSharp;

namespace GradCam.Video.Pipeline;

/// <summary>
/// The stages of a video explanation: source → preprocess → batched inference → compose → sinks, each on its own thread
/// (<see cref="StageRunner{T}"/>), joined by the channels a <see cref="PipelinePolicy"/> lays out. The stages know
/// nothing of live or replay: the policy decides what each hand-over does.
/// </summary>
internal sealed class ExplainPipeline
{
    private readonly IFrameSource _source;
    private readonly GradCamExplainer _explainer;
    private readonly FrameComposer _composer;
    private readonly IReadOnlyList<IFrameSink> _sinks;
    private readonly PipelinePolicy _policy;
    private readonly PipelineOptions _options;
    private readonly PipelineStats _stats;
    private TaskCompletionSource? _sinksCompleted;

    public ExplainPipeline(IFrameSource source, GradCamExplainer explainer, FrameComposer composer, IReadOnlyList<IFrameSink> sinks,
                           PipelinePolicy policy, PipelineOptions options, PipelineStats stats)
    {
        _source = source;
        _explainer = explainer;
        _composer = composer;
        _sinks = sinks;
        _policy = policy;
        _options = options;
        _stats = stats;
    }

    /// <summary>
    /// Runs until the source ends or <paramref name="stop"/> is cancelled; then the batch in inference is finished, the
    /// frames explained are drawn and written, those not yet explained are dropped, and the sinks completed.
    /// <paramref name="halt"/> ends at once: the sinks are completed with what they hold, and nothing more is written.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken halt, TaskCompletionSource sinksCompleted)
    {
        _sinksCompleted = sinksCompleted;
        using var run = new PipelineRun(_policy, _options, _stats, stop, halt);
        var stages = run.Stages;
        stages.Start("source", () => ReadSource(run), isSource: true,
                     run.Decoded.Writer, _policy.ComposesCapturedFrames ? run.ToCompose.Writer : null);
        stages.Start("preprocess", () => Preprocess(run), isSource: false, run.Prepared.Writer);
        stages.Start("inference", () => Infer(run), isSource: false, _policy.ComposesCapturedFrames ? null : run.ToCompose.Writer);
        stages.Start("compose", () => Compose(run), isSource: false, run.Composed.Writer);
        stages.Start("sinks", () => Sink(run), isSource: false);
        await stages.WhenAll();
    }

    private void ReadSource(PipelineRun run)
    {
        var stop = run.Stages.Stopping;
        bool pace = _policy.PacesFileSources && !_source.IsLive;
        var clock = Stopwatch.StartNew();
        double frameMs = 1000.0 / _source.Fps;
        long index = 0;
        while (!stop.IsCancellationRequested)
        {
            var image = run.Pool.Rent();
            long started = Stopwatch.GetTimestamp();
            var result = _source.Read(image);
            if (result == FrameReadResult.End)
            {
                run.Pool.Return(image);
                break;
            }
            long frameIndex = index++;
            if (result == FrameReadResult.Corrupt)
            {
                run.Pool.Return(image);
                _stats.OnCorrupt();
                continue;
            }
            _stats.OnCaptured();
            if (pace)
            {
                // A file played "live" arrives at its own frame rate, as a camera would.
                double due = frameIndex * frameMs - clock.Elapsed.TotalMilliseconds;
                if (due > 0) stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(due));
            }
            var frame = new Frame(frameIndex, frameIndex * frameMs, image);
            frame.Latency.Decode = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!_policy.Captured(frame, run)) break;
        }
    }

    private void Preprocess(PipelineRun run)
    {
        foreach (var frame in StageRunner<Frame>.ReadAll(run.Decoded.Reader))
        {
            if (run.Draining)
            {
                run.Release(frame); // stopping: only what is already explained is written
                continue;
            }
            if (frame.ToExplain)
            {
                long started = Stopwatch.GetTimestamp();
                frame.Input = ImagePreprocessor.ToTensor(frame.Image, _explainer.Model.Input);
                frame.Latency.Preprocess = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            StageRunner<Frame>.Write(run.Prepared.Writer, frame, run.Stages.Aborted);
        }
    }

    private void Infer(PipelineRun run)
    {
        var input = run.Prepared.Reader;
        var batch = new List<Frame>(_options.BatchSize);
        try
        {
            while (StageRunner<Frame>.WaitToRead(input))
            {
                batch.Clear();
                while (batch.Count < _options.BatchSize && input.TryRead(out var f)) batch.Add(f);
                FillBatch(input, batch);
                if (run.Draining)
                {
                    foreach (var frame in batch) run.Release(frame);
                    batch.Clear();
                    continue;
                }
                ExplainBatch(batch);
                _policy.Explained(batch, run);
                batch.Clear();
            }
        }
        finally
        {
            foreach (var frame in batch) frame.Input?.Dispose();
        }
    }

    private void FillBatch(System.Threading.Channels.ChannelReader<Frame> input, List<Frame> batch)
    {
        if (batch.Count >= _options.BatchSize || input.Completion.IsCompleted || _options.MaxBatchWait <= TimeSpan.Zero) return;
        using var wait = new CancellationTokenSource(_options.MaxBatchWait);
        try
        {
            while (batch.Count < _options.BatchSize && StageRunner<Frame>.WaitToRead(input, wait.Token))
                while (batch.Count < _options.BatchSize && input.TryRead(out var f)) batch.Add(f);
        }
        catch (OperationCanceledException)
        {
            // The batch waited long enough: explain what is there.
        }
    }

    private void ExplainBatch(List<Frame> batch)
    {
        var toExplain = batch.Where(f => f.Input is not null).ToList();
        if (toExplain.Count == 0) return;
        long started = Stopwatch.GetTimestamp();
        using (var stacked = torch.stack(toExplain.Select(f => f.Input!)))
        {
            var outcomes = _explainer.TryExplain(stacked, toExplain.Select(_ => _options.Target).ToArray(), _options.TopK);
            for (int i = 0; i < toExplain.Count; i++)
            {
                if (!outcomes[i].Succeeded)
                {
                    // A frame without the target (no box of that rank, no box near the given one) keeps no map of its
                    // own, as a frame between explained ones.
                    _stats.OnTargetMissing(toExplain[i].Index);
                    continue;
                }
                var e = outcomes[i].Explanation!;
                toExplain[i].Explanation = e;
                toExplain[i].ExplainedFrame = toExplain[i].Index;
                toExplain[i].Scene = GradCam.Evaluation.SceneGrid.From(toExplain[i].Image, e.Cam.Height, e.Cam.Width);
                if (!e.IsFinite) _stats.OnNonFinite(toExplain[i].Index);
            }
        }
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _stats.OnExplained(toExplain.Count, ms);
        foreach (var f in toExplain)
        {
            f.Input!.Dispose();
            f.Input = null;
            f.Latency.Inference = ms;
            f.Latency.Queue = Math.Max(0, Stopwatch.GetElapsedTime(f.CapturedAt).TotalMilliseconds - ms - f.Latency.Decode - f.Latency.Preprocess);
        }
    }

    private void Compose(PipelineRun run)
    {
        foreach (var frame in StageRunner<Frame>.ReadAll(run.ToCompose.Reader))
        {
            if (run.Halt.IsCancellationRequested)
            {
                run.Release(frame);
                continue;
            }
            long? since = _policy.Show(frame, run);
            long started = Stopwatch.GetTimestamp();
            _composer.Compose(frame);
            frame.Latency.Compose = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            frame.Latency.Total = Stopwatch.GetElapsedTime(frame.CapturedAt).TotalMilliseconds;
            if (since is long t) _stats.OnLatency(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            StageRunner<Frame>.Write(run.Composed.Writer, frame, run.Stages.Aborted);
        }
    }

    private void Sink(PipelineRun run)
    {
        var input = run.Composed.Reader;
        Exception? failure = null;
        try
        {
            while (!run.Halt.IsCancellationRequested)
            {
                if (input.TryRead(out var frame))
                {
                    try
                    {
                        foreach (var sink in _sinks) sink.Write(frame);
                        _stats.OnWritten(frame.Latency.Total);
                    }
                    finally
                    {
                        run.Release(frame);
                    }
                    continue;
                }
                foreach (var sink in _sinks) sink.Idle();
                using var idle = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
                try
                {
                    if (!StageRunner<Frame>.WaitToRead(input, idle.Token)) break;
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested)
                {
                    // Nothing arrived: pump the sinks (window events) and wait again.
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        // Every sink is completed (videos finalised, timelines closed), even when one of them fails to.
        var incomplete = new List<Exception>();
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Complete();
            }
            catch (Exception e)
            {
                incomplete.Add(e);
            }
        }
        _sinksCompleted?.TrySetResult();
        while (input.TryRead(out var left)) run.Release(left);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        if (incomplete.Count > 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(incomplete[0]);
    }
}
