namespace GradCam.Engine;

/// <summary>One item of a batch explained by <see cref="GradCamExplainer.TryExplain"/>: its explanation, or why it has none.</summary>
/// <param name="Explanation">The explanation; null when the item failed.</param>
/// <param name="Error">Why the item has no explanation: its target is not in it (a box rank it does not reach, no box near the one given); null on success.</param>
public sealed record ExplainOutcome(Explanation? Explanation, Targets.TargetMissingException? Error)
{
    /// <summary>Whether the item was explained.</summary>
    public bool Succeeded => Explanation is not null;
}
