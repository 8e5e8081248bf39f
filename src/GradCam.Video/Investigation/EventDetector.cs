namespace GradCam.Video.Investigation;

/// <summary>
/// Finds abrupt events in a probability series, as its <see cref="Thresholds"/> define them.
/// </summary>
public sealed class EventDetector
{
    private int _quiet;
    private bool _active;

    /// <summary>What counts as an abrupt event.</summary>
    public EventThresholds Thresholds { get; init; } = EventThresholds.Default;

    private double On => Thresholds.On;

    private double Off => Thresholds.Off;

    private int MinQuietFrames => Thresholds.MinQuietFrames;

    /// <summary>Feeds the next frame's probability; true when an event starts at this frame.</summary>
    public bool Next(double probability)
    {
        if (_active)
        {
            if (probability < Off)
            {
                _active = false;
                _quiet = 1;
            }
            return false;
        }
        if (probability < Off)
        {
            _quiet++;
            return false;
        }
        if (probability < On) return false; // rising (or wobbling) between the thresholds: the calm run is kept
        _active = true;
        bool abrupt = _quiet >= MinQuietFrames;
        _quiet = 0;
        return abrupt;
    }
}
