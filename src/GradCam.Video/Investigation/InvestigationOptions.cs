namespace GradCam.Video.Investigation;

/// <summary>What to investigate and how events are found.</summary>
/// <param name="Clip">The recording.</param>
/// <param name="OutDir">The folder for <c>report.html</c>, <c>annotated.mp4</c>, <c>timeline.jsonl</c> and the event images.</param>
/// <param name="TruthPath">A ground-truth file (<see cref="TruthFile"/>) for the attribution; the hot spot without one.</param>
/// <param name="EventClass">The class whose abrupt onsets are investigated (a label, or a class index).</param>
public sealed record InvestigationOptions(string Clip, string OutDir, string? TruthPath = null, string EventClass = "stop")
{
    /// <summary>What counts as an abrupt event.</summary>
    public EventThresholds Thresholds { get; init; } = EventThresholds.Default;

    /// <summary>Frames per forward pass.</summary>
    public int BatchSize { get; init; } = GradCam.Video.Pipeline.PipelineOptions.DefaultBatchSize;

    /// <summary>What the report says: its title and the verdict's words (<see cref="InvestigationStory.Neutral"/> by default).</summary>
    public InvestigationStory Story { get; init; } = InvestigationStory.Neutral;

    /// <summary>How the main model's heatmaps are computed (method, layers); the compared model uses the method at its default layer.</summary>
    public GradCam.Engine.ExplainerOptions Explainer { get; init; } = new();

    /// <summary>The smoothing settings (EMA weights of the past, each in [0, 1)) whose temporal stability the report gives.</summary>
    public IReadOnlyList<float> StabilityEmas { get; init; } = GradCam.Evaluation.SmoothingSweep.DefaultEmas;

    /// <summary>Checks the options.</summary>
    /// <exception cref="GradCam.Configuration.SettingException">A threshold out of order or range, or a batch below 1; the exception names it.</exception>
    public void Validate()
    {
        Thresholds.Validate();
        if (BatchSize < 1) throw new GradCam.Configuration.SettingException("InvestigationOptions.BatchSize", $"the batch size must be at least 1, got {BatchSize}");
        if (StabilityEmas.Count == 0 || StabilityEmas.Any(e => !(e >= 0 && e < 1)))
            throw new GradCam.Configuration.SettingException("InvestigationOptions.StabilityEmas", $"give at least one EMA weight, each in [0, 1); got [{string.Join(", ", StabilityEmas)}]");
        if (string.IsNullOrWhiteSpace(EventClass)) throw new GradCam.Configuration.SettingException("InvestigationOptions.EventClass", "name the class whose onsets are investigated");
    }
}
