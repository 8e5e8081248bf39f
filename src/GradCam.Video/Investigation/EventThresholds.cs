using GradCam.Configuration;

namespace GradCam.Video.Investigation;

/// <summary>
/// What counts as an abrupt event in a probability series: P(event) rising to <see cref="On"/> after at least
/// <see cref="MinQuietFrames"/> frames below <see cref="Off"/> (hysteresis: noise around one threshold is not a series
/// of events). The defaults are written here only; the investigation, the fleet and the command lines refer to them.
/// </summary>
/// <param name="On">P(event) that starts an event, in (0, 1].</param>
/// <param name="Off">P(event) under which frames count as calm, in [0, <paramref name="On"/>].</param>
/// <param name="MinQuietFrames">Calm frames needed before an onset counts as abrupt, 0 or more.</param>
public sealed record EventThresholds(double On = EventThresholds.DefaultOn, double Off = EventThresholds.DefaultOff,
                                     int MinQuietFrames = EventThresholds.DefaultMinQuietFrames)
{
    /// <summary>The default <see cref="On"/>.</summary>
    public const double DefaultOn = 0.6;

    /// <summary>The default <see cref="Off"/>.</summary>
    public const double DefaultOff = 0.4;

    /// <summary>The default <see cref="MinQuietFrames"/>.</summary>
    public const int DefaultMinQuietFrames = 15;

    /// <summary>The defaults: 0.6, 0.4 and 15 frames.</summary>
    public static EventThresholds Default { get; } = new();

    /// <summary>Checks the thresholds.</summary>
    /// <exception cref="SettingException">A threshold out of its range or order; the exception names it.</exception>
    public void Validate()
    {
        if (!(On > 0 && On <= 1)) throw new SettingException("EventThresholds.On", $"the event threshold must be above 0 and at most 1, got {On}");
        if (!(Off >= 0 && Off <= On)) throw new SettingException("EventThresholds.Off", $"the release threshold must be between 0 and the event threshold {On}, got {Off}");
        if (MinQuietFrames < 0) throw new SettingException("EventThresholds.MinQuietFrames", $"the calm frames must be 0 or more, got {MinQuietFrames}");
    }
}
