using GradCam.Evaluation;

namespace GradCam.Video.Investigation;

/// <summary>One object in a frame, as the ground truth gives it: its name, its box in source pixels, and whether it is a real reason for the event.</summary>
/// <param name="Name">The object's name, e.g. "stop sign".</param>
/// <param name="X">Box left, pixels.</param>
/// <param name="Y">Box top, pixels.</param>
/// <param name="Width">Box width, pixels.</param>
/// <param name="Height">Box height, pixels.</param>
/// <param name="Reason">Whether it is a reason for the event (a stop sign for <c>stop</c>; a billboard is not).</param>
public sealed record TruthObject(string Name, int X, int Y, int Width, int Height, bool Reason)
{
    /// <summary>The box alone.</summary>
    public PixelBox Box => new(X, Y, Width, Height);

    /// <summary>Whether a pixel is inside the box.</summary>
    public bool Contains(int x, int y) => Box.Contains(x, y);

    /// <summary>Distance in pixels from a pixel to the box (0 inside).</summary>
    public double Distance(int x, int y) => Box.Distance(x, y);
}
