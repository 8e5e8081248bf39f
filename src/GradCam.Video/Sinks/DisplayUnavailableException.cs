namespace GradCam.Video.Sinks;

/// <summary>A window could not be opened: no display, or the display refused it. Run without a window instead.</summary>
public sealed class DisplayUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="why">What went wrong (e.g. <c>DISPLAY is not set</c>).</param>
    /// <param name="inner">The cause, if any.</param>
    public DisplayUnavailableException(string why, Exception? inner = null)
        : base($"no window could be opened ({why}): run without a window", inner)
    {
    }
}
