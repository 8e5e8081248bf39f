using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>
/// See <see cref="PipelinePolicy.Live"/>: every captured frame goes to the display; a copy goes to the model through
/// one-slot queues where a new frame replaces an unread one; each shown frame carries the newest explanation.
/// </summary>
internal sealed class LivePolicy : PipelinePolicy
{
    public override string Name => "live";

    internal override bool PacesFileSources => true;

    internal override bool ComposesCapturedFrames => true;

    internal override Channel<Frame> ModelQueue(PipelineRun run) => DropOldest(1, run, run.Stats.OnDropped);

    internal override Channel<Frame> ComposeQueue(PipelineRun run) => DropOldest(run.Options.ChannelCapacity, run, run.Stats.OnDisplayDropped);

    internal override bool Captured(Frame frame, PipelineRun run)
    {
        var copy = run.Pool.Rent();
        frame.Image.CopyTo(copy);
        var forModel = new Frame(frame.Index, frame.TimestampMs, copy) { ToExplain = true };
        forModel.Latency.Decode = frame.Latency.Decode;
        run.Decoded.Writer.TryWrite(forModel);
        run.ToCompose.Writer.TryWrite(frame);
        return true;
    }

    internal override void Explained(IReadOnlyList<Frame> batch, PipelineRun run)
    {
        foreach (var frame in batch)
        {
            if (frame.Explanation is not null) run.Latest = frame;
            run.Pool.Return(frame.Image); // the model's copy is done; the display has its own
        }
    }

    internal override long? Show(Frame frame, PipelineRun run)
    {
        if (run.Latest is not { } latest) return null;
        frame.Explanation = latest.Explanation;
        frame.ExplainedFrame = latest.Index;
        frame.Scene = latest.Scene; // the scene the explanation saw, not the newer one it is shown on
        return latest.CapturedAt;
    }
}
