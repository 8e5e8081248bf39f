using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>
/// Runs the stages of a pipeline, each on a thread of its own, joined by channels of <typeparamref name="T"/>. Stages block
/// (decoding, inference, encoding): on the thread pool they would starve each other on a 2-core machine. When a stage
/// ends, its output channels are completed, with its failure if it failed: downstream stages then finish what was handed
/// over before it and end. A failure also stops the first stage (<see cref="Stopping"/>) and, unless the first stage
/// failed, releases every stage waiting to hand items to a stage that is gone (<see cref="Aborted"/>). A halt (the
/// caller wants everything to end at once) releases them too. A stage so released ends normally, so the run fails with
/// the failure that caused it ("disk full"), never with the release ("a task was canceled").
/// </summary>
/// <typeparam name="T">What flows between stages.</typeparam>
public sealed class StageRunner<T> : IDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenSource _failed = new();
    private readonly CancellationTokenSource _abort;
    private readonly CancellationToken _halt;
    private readonly List<Task> _stages = [];

    /// <summary>Creates a runner.</summary>
    /// <param name="stop">The caller's stop: the first stage stops producing.</param>
    /// <param name="halt">The caller's "end at once": writers stop waiting, and a stage it interrupts ends normally.</param>
    public StageRunner(CancellationToken stop, CancellationToken halt = default)
    {
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _halt = halt;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(_failed.Token, halt);
    }

    /// <summary>Cancelled when the first stage should stop producing: the caller stopped, or a stage failed.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled when writers must not wait any more: a stage other than the first failed (nobody drains its
    /// input), or the caller halted.</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>Starts a stage. <paramref name="isSource"/>: the stage that produces items (its failure aborts nobody's writes).</summary>
    public void Start(string name, Action stage, bool isSource, params ChannelWriter<T>?[] outputs)
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
            catch (OperationCanceledException) when (_halt.IsCancellationRequested || _failed.IsCancellationRequested)
            {
                // Released by a halt, or because another stage failed: that stage's failure is the run's, not this release.
                foreach (var output in outputs) output?.TryComplete();
                done.SetResult();
            }
            catch (Exception e)
            {
                foreach (var output in outputs) output?.TryComplete(e);
                if (!isSource) _failed.Cancel();
                try { _stopping.Cancel(); } catch (ObjectDisposedException) { }
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"gradcam {name}",
        };
        _stages.Add(done.Task);
        thread.Start();
    }

    /// <summary>Completes when every stage has ended; faults with the failures of the stages that failed.</summary>
    public Task WhenAll() => Task.WhenAll(_stages);

    /// <summary>
    /// Waits for an item; false when the channel is finished. A channel an upstream stage completed with its failure is
    /// finished too: the reading stage ends normally after the items before the failure, which the failed stage reports.
    /// </summary>
    public static bool WaitToRead(ChannelReader<T> reader, CancellationToken token = default)
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

    /// <summary>Every item until the channel is finished.</summary>
    public static IEnumerable<T> ReadAll(ChannelReader<T> reader)
    {
        while (WaitToRead(reader))
            while (reader.TryRead(out var item))
                yield return item;
    }

    /// <summary>Writes an item, waiting for room (backpressure); throws <see cref="OperationCanceledException"/> when <paramref name="token"/> fires.</summary>
    public static void Write(ChannelWriter<T> writer, T item, CancellationToken token)
    {
        if (writer.TryWrite(item)) return;
        writer.WriteAsync(item, token).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _abort.Dispose();
        _failed.Dispose();
        _stopping.Dispose();
    }
}
