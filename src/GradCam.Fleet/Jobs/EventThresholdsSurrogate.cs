using GradCam.Video.Investigation;

namespace GradCam.Fleet.Jobs;

/// <summary>
/// How Orleans carries <see cref="EventThresholds"/> (a type of <c>GradCam.Video</c>, which knows nothing of Orleans)
/// between silos and into grain state.
/// </summary>
[GenerateSerializer, Immutable]
public struct EventThresholdsSurrogate
{
    /// <summary><see cref="EventThresholds.On"/>.</summary>
    [Id(0)] public double On;

    /// <summary><see cref="EventThresholds.Off"/>.</summary>
    [Id(1)] public double Off;

    /// <summary><see cref="EventThresholds.MinQuietFrames"/>.</summary>
    [Id(2)] public int MinQuietFrames;
}

/// <summary>Converts <see cref="EventThresholds"/> to and from its surrogate.</summary>
[RegisterConverter]
public sealed class EventThresholdsConverter : IConverter<EventThresholds, EventThresholdsSurrogate>
{
    /// <inheritdoc />
    public EventThresholds ConvertFromSurrogate(in EventThresholdsSurrogate surrogate) =>
        new(surrogate.On, surrogate.Off, surrogate.MinQuietFrames);

    /// <inheritdoc />
    public EventThresholdsSurrogate ConvertToSurrogate(in EventThresholds value) =>
        new() { On = value.On, Off = value.Off, MinQuietFrames = value.MinQuietFrames };
}
