using GradCam.Configuration;
using GradCam.Video.Investigation;
using GradCam.Video.Pipeline;

namespace GradCam.Fleet.Jobs;

/// <summary>
/// A fleet investigation: the drives, the model (and an optional model to compare), the event class, and the output
/// store, a folder every machine sees where each drive's outputs land in a folder of its own.
/// </summary>
/// <param name="JobId">The job's name: 1 to 100 letters, digits, '-', '_' or '.'.</param>
/// <param name="Drives">The drives.</param>
/// <param name="Model">The model file every machine reads.</param>
/// <param name="Compare">A second model replayed on every drive, or null.</param>
/// <param name="EventClass">The class whose abrupt onsets are investigated.</param>
/// <param name="Store">The output folder every machine sees.</param>
/// <param name="Thresholds">What counts as an abrupt event; <see cref="EventThresholds.Default"/> when null.</param>
/// <param name="BatchSize">Frames per forward pass.</param>
/// <param name="MaxAttempts">Tries before a drive is marked failed.</param>
[GenerateSerializer, Immutable]
public sealed record FleetJobSpec(string JobId, IReadOnlyList<FleetDriveSpec> Drives, string Model, string? Compare, string EventClass, string Store,
                                  EventThresholds? Thresholds = null, int BatchSize = PipelineOptions.DefaultBatchSize,
                                  int MaxAttempts = FleetJobSpec.DefaultMaxAttempts)
{
    /// <summary>The default <see cref="MaxAttempts"/>.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The most <see cref="MaxAttempts"/> a job may ask for.</summary>
    public const int AttemptsLimit = 100;

    /// <summary>What a job id may be: 1 to 100 letters, digits, '-', '_' or '.' (it names folders and grains).</summary>
    public const string JobIdRule = "use 1 to 100 letters, digits, '-', '_' or '.'";

    /// <summary>Whether a text is a valid job id (see <see cref="JobIdRule"/>).</summary>
    /// <param name="id">The text.</param>
    public static bool IsValidJobId(string? id) =>
        id is { Length: > 0 and <= 100 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The thresholds in force.</summary>
    public EventThresholds EventThresholds => Thresholds ?? EventThresholds.Default;

    /// <summary>Checks the job before it is submitted.</summary>
    /// <exception cref="SettingException">A value out of range; the exception names the setting.</exception>
    public void Validate()
    {
        if (!IsValidJobId(JobId)) throw new SettingException("FleetJobSpec.JobId", $"job id '{JobId}': {JobIdRule}");
        if (Drives is not { Count: > 0 }) throw new SettingException("FleetJobSpec.Drives", "the job has no drive");
        if (string.IsNullOrWhiteSpace(Model)) throw new SettingException("FleetJobSpec.Model", "name the model every machine reads");
        if (string.IsNullOrWhiteSpace(EventClass)) throw new SettingException("FleetJobSpec.EventClass", "name the class whose onsets are investigated");
        if (string.IsNullOrWhiteSpace(Store)) throw new SettingException("FleetJobSpec.Store", "name the store every machine writes to");
        if (BatchSize < 1) throw new SettingException("FleetJobSpec.BatchSize", $"the batch size must be at least 1, got {BatchSize}");
        if (MaxAttempts is < 1 or > AttemptsLimit) throw new SettingException("FleetJobSpec.MaxAttempts", $"the attempts must be 1 to {AttemptsLimit}, got {MaxAttempts}");
        EventThresholds.Validate();
    }
}
