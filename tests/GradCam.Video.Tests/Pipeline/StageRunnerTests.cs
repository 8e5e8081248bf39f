using System.Threading.Channels;
using GradCam.Video.Pipeline;
using Xunit;

namespace GradCam.Video.Tests.Pipeline;

/// <summary>The stage runner alone, on integers: ordering, completion, failure propagation and release of blocked writers.</summary>
public class StageRunnerTests
{
    private static Channel<int> Bounded(int capacity) => Channel.CreateBounded<int>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });

    [Fact]
    public async Task ItemsFlowThroughEveryStageInOrderAndEveryChannelIsCompleted()
    {
        using var stop = new CancellationTokenSource();
        using var runner = new StageRunner<int>(stop.Token);
        var first = Bounded(2);
        var second = Bounded(2);
        var seen = new List<int>();
        runner.Start("produce", () =>
        {
            for (int i = 0; i < 100; i++) StageRunner<int>.Write(first.Writer, i, runner.Aborted);
        }, isSource: true, first.Writer);
        runner.Start("square", () =>
        {
            foreach (int i in StageRunner<int>.ReadAll(first.Reader)) StageRunner<int>.Write(second.Writer, i * i, runner.Aborted);
        }, isSource: false, second.Writer);
        runner.Start("collect", () => seen.AddRange(StageRunner<int>.ReadAll(second.Reader)), isSource: false);

        await runner.WhenAll().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), seen);
        Assert.True(first.Reader.Completion.IsCompletedSuccessfully);
        Assert.True(second.Reader.Completion.IsCompletedSuccessfully);
        Assert.False(runner.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task AFailingSourceStopsAndDownstreamFinishesWhatWasHandedOver()
    {
        using var stop = new CancellationTokenSource();
        using var runner = new StageRunner<int>(stop.Token);
        var channel = Bounded(4);
        var seen = new List<int>();
        runner.Start("produce", () =>
        {
            for (int i = 0; ; i++)
            {
                if (i == 10) throw new IOException("device gone");
                StageRunner<int>.Write(channel.Writer, i, runner.Aborted);
            }
        }, isSource: true, channel.Writer);
        runner.Start("collect", () => seen.AddRange(StageRunner<int>.ReadAll(channel.Reader)), isSource: false);

        var e = await Assert.ThrowsAsync<IOException>(() => runner.WhenAll().WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("device gone", e.Message);
        Assert.Equal(Enumerable.Range(0, 10), seen); // the consumer ended normally after every item before the failure
        Assert.True(runner.Stopping.IsCancellationRequested);
        Assert.False(stop.IsCancellationRequested); // the caller's token is the caller's
        Assert.False(runner.Aborted.IsCancellationRequested); // a failed source leaves nobody blocked
    }

    [Fact]
    public async Task AFailingConsumerReleasesStagesBlockedOnAFullChannel()
    {
        using var stop = new CancellationTokenSource();
        using var runner = new StageRunner<int>(stop.Token);
        var channel = Bounded(1);
        runner.Start("produce", () =>
        {
            try
            {
                for (int i = 0; !runner.Stopping.IsCancellationRequested; i++) StageRunner<int>.Write(channel.Writer, i, runner.Aborted);
            }
            catch (OperationCanceledException)
            {
                // Released while blocked on the full channel.
            }
        }, isSource: true, channel.Writer);
        runner.Start("consume", () =>
        {
            channel.Reader.TryRead(out _);
            Thread.Sleep(50); // let the producer block on the full channel
            throw new InvalidOperationException("disk full");
        }, isSource: false);

        // WhenAll ends only when every stage has: a producer left blocked on the full channel would time it out. The
        // producer may be released while blocked or see Stopping between two writes: both are fine.
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.WhenAll().WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("disk full", e.Message);
        Assert.True(runner.Aborted.IsCancellationRequested);
        Assert.True(runner.Stopping.IsCancellationRequested);
    }

    [Fact]
    public async Task TheRunFailsWithTheCauseNotWithTheReleaseOfTheStagesBefore()
    {
        // source -> middle -> sink; the sink fails while the middle stage is blocked writing to it. The middle stage is
        // released by a cancellation it does not catch, and it comes first: the run must still fail with "disk full".
        using var runner = new StageRunner<int>(CancellationToken.None);
        var first = Bounded(1);
        var second = Bounded(1);
        runner.Start("source", () =>
        {
            for (int i = 0; !runner.Stopping.IsCancellationRequested; i++) StageRunner<int>.Write(first.Writer, i, runner.Aborted);
        }, isSource: true, first.Writer);
        runner.Start("middle", () =>
        {
            foreach (int item in StageRunner<int>.ReadAll(first.Reader)) StageRunner<int>.Write(second.Writer, item, runner.Aborted);
        }, isSource: false, second.Writer);
        runner.Start("sink", () =>
        {
            second.Reader.TryRead(out _);
            Thread.Sleep(100); // the middle stage blocks on the full channel
            throw new InvalidOperationException("disk full");
        }, isSource: false);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.WhenAll().WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("disk full", e.Message);
        Assert.Single(runner.WhenAll().Exception!.InnerExceptions); // the released stages ended normally
    }

    [Fact]
    public async Task AHaltReleasesBlockedWritersAndTheStagesEndNormally()
    {
        using var halt = new CancellationTokenSource();
        using var runner = new StageRunner<int>(CancellationToken.None, halt.Token);
        var channel = Bounded(1);
        runner.Start("produce", () =>
        {
            for (int i = 0; ; i++) StageRunner<int>.Write(channel.Writer, i, runner.Aborted); // blocks once the channel is full
        }, isSource: true, channel.Writer);
        runner.Start("stalled", () => halt.Token.WaitHandle.WaitOne(), isSource: false);
        Thread.Sleep(50);
        halt.Cancel();
        await runner.WhenAll().WaitAsync(TimeSpan.FromMinutes(1)); // no failure: a halted stage ends normally
        Assert.False(channel.Writer.TryWrite(-1)); // and its output was completed
    }

    [Fact]
    public async Task StoppingEndsTheSourceAndTheRestDrains()
    {
        using var stop = new CancellationTokenSource();
        using var runner = new StageRunner<int>(stop.Token);
        var channel = Bounded(4);
        int consumed = 0;
        runner.Start("produce", () =>
        {
            for (int i = 0; !runner.Stopping.IsCancellationRequested; i++) StageRunner<int>.Write(channel.Writer, i, runner.Aborted);
        }, isSource: true, channel.Writer);
        runner.Start("consume", () =>
        {
            foreach (int _ in StageRunner<int>.ReadAll(channel.Reader))
                if (Interlocked.Increment(ref consumed) == 50) stop.Cancel();
        }, isSource: false);

        await runner.WhenAll().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.InRange(consumed, 50, 55); // at most the channel's capacity (and the item being written) after the stop
    }
}
