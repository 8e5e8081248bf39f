using System.Threading.Channels;

namespace GradCam.Video.Pipeline;

/// <summary>See <see cref="PipelinePolicy.Replay"/>: bounded queues that wait, every N-th frame explained, order kept.</summary>
internal sealed class ReplayPolicy : PipelinePolicy
{
    public override string Name => "replay";

    internal override bool PacesFileSources => false;

    internal override bool ComposesCapturedFrames => false;

    internal override Channel<Frame> ModelQueue(PipelineRun run) => Bounded(run.Options.ChannelCapacity);

    internal override Channel<Frame> ComposeQueue(PipelineRun run) => Bounded(run.Options.ChannelCapacity);

    internal override bool Captured(Frame frame, PipelineRun run)
    {
        frame.ToExplain = frame.Index % run.Options.Every == 0;
        try
        {
            StageRunner<Frame>.Write(run.Decoded.Writer, frame, run.Stages.Aborted); // backpressure: the source waits
            return true;
        }
        catch (OperationCanceledException)
        {
            run.Release(frame);
            return false;
        }
    }

    internal override void Explained(IReadOnlyList<Frame> batch, PipelineRun run)
    {
        foreach (var frame in batch)
        {
            // A frame between explained ones shows the latest explanation before it.
            if (frame.Explanation is not null) run.Latest = frame;
            else if (run.Latest is { } latest)
            {
                frame.Explanation = latest.Explanation;
                frame.ExplainedFrame = latest.Index;
            }
            StageRunner<Frame>.Write(run.ToCompose.Writer, frame, run.Stages.Aborted);
        }
    }

    internal override long? Show(Frame frame, PipelineRun run) => frame.CapturedAt;
}
