using System.Diagnostics;
using System.Threading.Channels;
using GradCam.Engine;
using GradCam.Imaging;
using GradCam.LiveView.Sinks;
using GradCam.LiveView.Sources;
using TorchSharp;

namespace GradCam.LiveView.Pipeline;

/// <summary>
/// Frames flow source → preprocess → batched inference → compose → sinks, each stage on its own task, joined by bounded
/// channels. <see cref="PipelinePolicy.Replay"/> applies backpressure and explains every selected frame in order;
/// <see cref="PipelinePolicy.Live"/> drops stale frames before inference (latest wins) so latency never grows, while
/// every captured frame is still shown with the most recent heatmap.
/// </summary>
public sealed class ExplainPipeline
{
    private readonly IFrameSource _source;
    private readonly GradCamExplainer _explainer;
    private readonly FrameComposer _composer;
    private readonly IReadOnlyList<IFrameSink> _sinks;
    private readonly PipelineOptions _options;
    private readonly MatPool _pool;
    private CancellationTokenSource? _stop;
    private CancellationTokenSource _abort = new(); // a stage failed: nobody drains any more
    private volatile Frame? _latestExplained; // live: the newest explained frame, shown with every displayed frame
    private Frame? _latestInOrder;            // replay: the last explained frame in source order

    /// <summary>Assembles a pipeline.</summary>
    public ExplainPipeline(IFrameSource source, GradCamExplainer explainer, FrameComposer composer, IReadOnlyList<IFrameSink> sinks,
                           PipelineOptions options, PipelineStats stats)
    {
        _source = source;
        _explainer = explainer;
        _composer = composer;
        _sinks = sinks;
        _options = options;
        Stats = stats;
        _pool = new MatPool(4 * options.ChannelCapacity + 8);
    }

    /// <summary>Live counters.</summary>
    public PipelineStats Stats { get; }

    /// <summary>Asks the pipeline to stop reading the source; frames in flight are finished and the sinks completed.</summary>
    public void Stop() => _stop?.Cancel();

    /// <summary>Runs until the source ends, <paramref name="cancellationToken"/> fires or <see cref="Stop"/> is called.</summary>
    public async Task<PipelineStats> RunAsync(CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_stop is not null) throw new InvalidOperationException("the pipeline is already running");
        _stop = stop;
        _abort = new CancellationTokenSource();
        try
        {
            bool live = _options.Policy == PipelinePolicy.Live;
            // Live: one-slot queues before inference where a new frame replaces an unread one (dropped, counted).
            var decoded = live ? DropOldest(1, Stats.OnDropped) : Bounded();
            var prepared = live ? DropOldest(1, Stats.OnDropped) : Bounded();
            var display = live ? DropOldest(_options.ChannelCapacity, Stats.OnDisplayDropped) : null;
            var explained = Bounded();
            var composed = Bounded();

            var stages = new List<Task>
            {
                Run("source", () => ReadSource(decoded.Writer, display?.Writer, stop.Token), isSource: true, decoded.Writer, display?.Writer),
                Run("preprocess", () => Preprocess(decoded.Reader, prepared.Writer), isSource: false, prepared.Writer),
                Run("inference", () => Infer(prepared.Reader, live ? null : explained.Writer), isSource: false, live ? null : explained.Writer),
                Run("compose", () => Compose(live ? display!.Reader : explained.Reader, composed.Writer), isSource: false, composed.Writer),
                Run("sinks", () => Sink(composed.Reader), isSource: false),
            };
            if (live) explained.Writer.TryComplete();
            await Task.WhenAll(stages);
            return Stats;
        }
        finally
        {
            _stop = null;
            _abort.Dispose();
            _pool.Dispose();
        }
    }

    /// <summary>
    /// Runs a stage on a thread of its own (stages block: decoding, inference, encoding; on the thread pool they would
    /// starve each other on a 2-core machine). When it ends, its output channels are completed, with its failure if it
    /// failed: downstream stages then finish the frames handed over before it and end. If it fails, the source stops
    /// reading; if it is not the source, stages upstream of it stop waiting to hand it frames.
    /// </summary>
    private Task Run(string name, Action stage, bool isSource, params ChannelWriter<Frame>?[] outputs)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                stage();
                foreach (var output in outputs) output?.TryComplete();
                done.SetResult();
            }
            catch (Exception e)
            {
                foreach (var output in outputs) output?.TryComplete(e);
                if (!isSource) _abort.Cancel(); // nobody will read what upstream stages are trying to write
                _stop?.Cancel();
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"gradcam {name}",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Waits for a frame; false when the channel is finished. A channel that an upstream stage completed with its failure
    /// is finished too: this stage ends normally after the frames before the failure, and the failure is reported once,
    /// by the stage that failed.
    /// </summary>
    private static bool WaitToRead(ChannelReader<Frame> reader, CancellationToken token = default)
    {
        var wait = reader.WaitToReadAsync(token);
        if (wait.IsCompletedSuccessfully) return wait.Result;
        try
        {
            return wait.AsTask().GetAwaiter().GetResult();
        }
        catch (Exception) when (reader.Completion.IsCompleted)
        {
            return false;
        }
    }

    private static void Write(ChannelWriter<Frame> writer, Frame frame, CancellationToken token)
    {
        if (writer.TryWrite(frame)) return;
        writer.WriteAsync(frame, token).AsTask().GetAwaiter().GetResult();
    }

    private static IEnumerable<Frame> ReadAll(ChannelReader<Frame> reader)
    {
        while (WaitToRead(reader))
            while (reader.TryRead(out var frame))
                yield return frame;
    }

    private Channel<Frame> Bounded() => Channel.CreateBounded<Frame>(new BoundedChannelOptions(_options.ChannelCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    /// <summary>A queue where, when full, the oldest waiting frame gives way to the new one; <paramref name="onDropped"/> counts it.</summary>
    private Channel<Frame> DropOldest(int capacity, Action onDropped) => Channel.CreateBounded<Frame>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
        SingleWriter = true,
    }, dropped =>
    {
        onDropped();
        Release(dropped);
    });

    private void Release(Frame frame)
    {
        frame.Input?.Dispose();
        frame.Input = null;
        frame.Composed?.Dispose();
        _pool.Return(frame.Image);
    }

    private void ReadSource(ChannelWriter<Frame> toModel, ChannelWriter<Frame>? toDisplay, CancellationToken stop)
    {
        bool pace = _options.Policy == PipelinePolicy.Live && !_source.IsLive;
        var clock = Stopwatch.StartNew();
        double frameMs = 1000.0 / _source.Fps;
        long index = 0;
        while (!stop.IsCancellationRequested)
        {
            var image = _pool.Rent();
            long started = Stopwatch.GetTimestamp();
            var result = _source.Read(image);
            if (result == FrameReadResult.End)
            {
                _pool.Return(image);
                break;
            }
            long frameIndex = index++;
            if (result == FrameReadResult.Corrupt)
            {
                _pool.Return(image);
                Stats.OnCorrupt();
                continue;
            }
            Stats.OnCaptured();
            if (pace)
            {
                // A file played "live" arrives at its own frame rate, as a camera would.
                double due = frameIndex * frameMs - clock.Elapsed.TotalMilliseconds;
                if (due > 0) stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(due));
            }
            var frame = new Frame(frameIndex, frameIndex * frameMs, image) { ToExplain = frameIndex % _options.Every == 0 };
            frame.Latency.Decode = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (toDisplay is null)
            {
                try
                {
                    Write(toModel, frame, _abort.Token); // backpressure: the source waits
                }
                catch (OperationCanceledException)
                {
                    Release(frame);
                    break;
                }
                continue;
            }
            // Live: every frame is shown; a copy goes to the model, which keeps only the latest.
            var copy = _pool.Rent();
            image.CopyTo(copy);
            var forModel = new Frame(frameIndex, frame.TimestampMs, copy) { ToExplain = true };
            forModel.Latency.Decode = frame.Latency.Decode;
            toModel.TryWrite(forModel);
            toDisplay.TryWrite(frame);
        }
    }

    private void Preprocess(ChannelReader<Frame> input, ChannelWriter<Frame> output)
    {
        foreach (var frame in ReadAll(input))
        {
            if (frame.ToExplain)
            {
                long started = Stopwatch.GetTimestamp();
                frame.Input = ImagePreprocessor.ToTensor(frame.Image, _explainer.Model.Input);
                frame.Latency.Preprocess = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            if (_options.Policy == PipelinePolicy.Live) output.TryWrite(frame);
            else Write(output, frame, _abort.Token);
        }
    }

    private void Infer(ChannelReader<Frame> input, ChannelWriter<Frame>? output)
    {
        var batch = new List<Frame>(_options.BatchSize);
        try
        {
            while (WaitToRead(input))
            {
                batch.Clear();
                while (batch.Count < _options.BatchSize && input.TryRead(out var f)) batch.Add(f);
                FillBatch(input, batch);
                ExplainBatch(batch);
                foreach (var frame in batch)
                {
                    if (output is not null)
                    {
                        Write(output, frame, _abort.Token);
                    }
                    else
                    {
                        // Live: publish the explanation for the display path; the model's copy of the frame is done.
                        if (frame.Explanation is not null) _latestExplained = frame;
                        _pool.Return(frame.Image);
                    }
                }
            }
        }
        finally
        {
            foreach (var frame in batch) frame.Input?.Dispose();
        }
    }

    private void FillBatch(ChannelReader<Frame> input, List<Frame> batch)
    {
        if (batch.Count >= _options.BatchSize || input.Completion.IsCompleted || _options.MaxBatchWait <= TimeSpan.Zero) return;
        using var wait = new CancellationTokenSource(_options.MaxBatchWait);
        try
        {
            while (batch.Count < _options.BatchSize && WaitToRead(input, wait.Token))
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
        if (toExplain.Count > 0)
        {
            long started = Stopwatch.GetTimestamp();
            using (var stacked = torch.stack(toExplain.Select(f => f.Input!)))
            {
                var targets = toExplain.Select(_ => _options.Target).ToArray();
                var explanations = _explainer.Explain(stacked, targets, _options.TopK);
                for (int i = 0; i < toExplain.Count; i++)
                {
                    toExplain[i].Explanation = explanations[i];
                    toExplain[i].ExplainedFrame = toExplain[i].Index;
                }
            }
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Stats.OnExplained(toExplain.Count, ms);
            foreach (var f in toExplain)
            {
                f.Input!.Dispose();
                f.Input = null;
                f.Latency.Inference = ms;
                f.Latency.Queue = Math.Max(0, Stopwatch.GetElapsedTime(f.CapturedAt).TotalMilliseconds - ms - f.Latency.Decode - f.Latency.Preprocess);
            }
        }
        // Replay keeps order: a frame between explained ones shows the latest explanation before it.
        foreach (var f in batch)
        {
            if (f.Explanation is not null) _latestInOrder = f;
            else if (_latestInOrder is not null)
            {
                f.Explanation = _latestInOrder.Explanation;
                f.ExplainedFrame = _latestInOrder.Index;
            }
        }
    }

    private void Compose(ChannelReader<Frame> input, ChannelWriter<Frame> output)
    {
        foreach (var frame in ReadAll(input))
        {
            if (_options.Policy == PipelinePolicy.Live && _latestExplained is { } latest)
            {
                frame.Explanation = latest.Explanation;
                frame.ExplainedFrame = latest.Index;
                Stats.OnLatency(Stopwatch.GetElapsedTime(latest.CapturedAt).TotalMilliseconds);
            }
            long started = Stopwatch.GetTimestamp();
            _composer.Compose(frame);
            frame.Latency.Compose = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            frame.Latency.Total = Stopwatch.GetElapsedTime(frame.CapturedAt).TotalMilliseconds;
            if (_options.Policy == PipelinePolicy.Replay) Stats.OnLatency(frame.Latency.Total);
            Write(output, frame, _abort.Token);
        }
    }

    private void Sink(ChannelReader<Frame> input)
    {
        try
        {
            while (true)
            {
                if (input.TryRead(out var frame))
                {
                    try
                    {
                        foreach (var sink in _sinks) sink.Write(frame);
                        Stats.OnWritten(frame.Latency.Total);
                    }
                    finally
                    {
                        Release(frame);
                    }
                    continue;
                }
                foreach (var sink in _sinks) sink.Idle();
                using var idle = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
                try
                {
                    if (!WaitToRead(input, idle.Token)) break;
                }
                catch (OperationCanceledException) when (idle.IsCancellationRequested)
                {
                    // Nothing arrived: pump the sinks (window events) and wait again.
                }
            }
        }
        finally
        {
            foreach (var sink in _sinks) sink.Complete();
        }
    }
}
