namespace GradCam.Video.Investigation;

/// <summary>
/// Finds abrupt events in a probability series: P(event) rising above <see cref="On"/> after at least
/// <see cref="MinQuietFrames"/> frames below <see cref="Off"/> (hysteresis, so noise around one threshold is not a
/// series of events).
/// </summary>
public sealed class EventDetector
{
    private int _quiet;
    private bool _active;

    /// <summary>Probability that starts an event.</summary>
    public double On { get; init; } = 0.6;

    /// <summary>Probability under which the event is over and quiet frames count again.</summary>
    public double Off { get; init; } = 0.4;

    /// <summary>Frames of quiet needed before an event counts as abrupt.</summary>
    public int MinQuietFrames { get; init; } = 15;

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
