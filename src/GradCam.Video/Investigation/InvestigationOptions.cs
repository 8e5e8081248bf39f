namespace GradCam.Video.Investigation;

/// <summary>What to investigate and how events are found.</summary>
/// <param name="Clip">The recording.</param>
/// <param name="OutDir">The folder for <c>report.html</c>, <c>annotated.mp4</c>, <c>timeline.jsonl</c> and the event images.</param>
/// <param name="TruthPath">A ground-truth file (<see cref="TruthFile"/>) for the attribution; the hot spot without one.</param>
/// <param name="EventClass">The class whose abrupt onsets are investigated (a label, or a class index).</param>
/// <param name="On">P(event) that starts an event.</param>
/// <param name="Off">P(event) under which frames count as calm.</param>
/// <param name="MinQuietFrames">Calm frames needed before an onset counts as abrupt.</param>
/// <param name="BatchSize">Frames per forward pass.</param>
public sealed record InvestigationOptions(string Clip, string OutDir, string? TruthPath = null, string EventClass = "stop",
                                          double On = 0.6, double Off = 0.4, int MinQuietFrames = 15, int BatchSize = 4)
{
    /// <summary>How the main model's heatmaps are computed (method, layers); the compared model uses the method at its default layer.</summary>
    public GradCam.Engine.ExplainerOptions Explainer { get; init; } = new();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A threshold out of order or range; the message names it.</exception>
    public void Validate()
    {
        if (!(On > 0 && On <= 1)) throw new ArgumentException($"the event threshold must be in (0, 1], got {On}");
        if (!(Off >= 0 && Off <= On)) throw new ArgumentException($"the release threshold must be between 0 and the event threshold {On}, got {Off}");
        if (MinQuietFrames < 0) throw new ArgumentException($"the calm frames must be 0 or more, got {MinQuietFrames}");
        if (BatchSize < 1) throw new ArgumentException($"the batch size must be at least 1, got {BatchSize}");
    }
}
