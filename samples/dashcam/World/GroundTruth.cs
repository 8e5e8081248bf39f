using GradCam.Evaluation;

namespace GradCam.Dashcam.World;

/// <summary>One object as drawn in a frame: its class, its box in pixels, and whether it is a reason to stop.</summary>
/// <param name="Name">The object's name, e.g. "stop sign".</param>
/// <param name="Kind">Its kind.</param>
/// <param name="X">Box left, pixels.</param>
/// <param name="Y">Box top, pixels.</param>
/// <param name="Width">Box width, pixels.</param>
/// <param name="Height">Box height, pixels.</param>
/// <param name="ReasonToStop">Whether it makes the frame a <c>stop</c> by the labelling rule.</param>
public sealed record BoxTruth(string Name, ObjectKind Kind, int X, int Y, int Width, int Height, bool ReasonToStop)
{
    /// <summary>The box alone.</summary>
    public PixelBox Box => new(X, Y, Width, Height);

    /// <summary>Whether a pixel is inside the box.</summary>
    public bool Contains(int x, int y) => Box.Contains(x, y);

    /// <summary>Distance in pixels from a pixel to the box (0 inside).</summary>
    public double Distance(int x, int y) => Box.Distance(x, y);
}

/// <summary>A frame's ground truth: its label and every drawn object.</summary>
/// <param name="Stop">The label: true for <c>stop</c>.</param>
/// <param name="Objects">The visible objects, front to back.</param>
public sealed record FrameTruth(bool Stop, IReadOnlyList<BoxTruth> Objects);
