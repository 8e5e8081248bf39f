using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>
/// Runs the stages of a pipeline, each on a thread of its own, joined by channels of <typeparamref name="T"/>. Stages block
/// (decoding, inference, encoding): on the thread pool they would starve each other on a 2-core machine. When a stage
/// ends, its output channels are completed, with its failure if it failed: downstream stages then finish what was handed
/// over before it and end. A failure also stops the first stage (<see cref="Stopping"/>) and, unless the first stage
/// failed, releases every stage waiting to hand items to a stage that is gone (<see cref="Aborted"/>).
/// </summary>
/// <typeparam name="T">What flows between stages.</typeparam>
public sealed class StageRunner<T> : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _stages = [];

    /// <summary>Creates a runner; <paramref name="stop"/> is cancelled when a stage fails (and may be cancelled by the caller).</summary>
    public StageRunner(CancellationTokenSource stop) => _stop = stop;

    /// <summary>Cancelled when the first stage should stop producing: the caller stopped, or a stage failed.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Cancelled when a stage other than the first failed: nobody drains its input any more.</summary>
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
            catch (Exception e)
            {
                foreach (var output in outputs) output?.TryComplete(e);
                if (!isSource) _abort.Cancel();
                try { _stop.Cancel(); } catch (ObjectDisposedException) { }
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
    public void Dispose() => _abort.Dispose();
}
