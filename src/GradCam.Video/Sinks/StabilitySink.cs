using GradCam.Evaluation;

namespace GradCam.Video.Sinks;

/// <summary>
/// Measures how stable a replay's explanations are under several smoothing settings at once (<see cref="SmoothingSweep"/>):
/// each explained frame's raw CAM goes through every setting, whatever the overlay shows.
/// </summary>
public sealed class StabilitySink : IFrameSink
{
    private readonly SmoothingSweep _sweep;

    /// <summary>Creates the sink.</summary>
    /// <param name="sweep">The settings to measure.</param>
    public StabilitySink(SmoothingSweep sweep) => _sweep = sweep;

    /// <summary>Per setting, the stability of the frames explained so far.</summary>
    public IReadOnlyList<SmoothedStability> Results => _sweep.Results;

    /// <inheritdoc />
    public void Write(Frame frame)
    {
        // Once per explanation, on its own frame: a frame between explained ones shows an earlier map.
        if (frame.Explanation is not { IsFinite: true } e || frame.ExplainedFrame != frame.Index) return;
        _sweep.Add(e.Cam, frame.Scene!); // the pipeline reduces each explained frame to its map's grid once
    }

    /// <inheritdoc />
    public void Complete() { }

    /// <inheritdoc />
    public void Dispose() { }
}
