namespace GradCam.Evaluation;

/// <summary>An axis-aligned box in image pixels, e.g. where an object is known to be.</summary>
/// <param name="X">Left, pixels.</param>
/// <param name="Y">Top, pixels.</param>
/// <param name="Width">Width, pixels.</param>
/// <param name="Height">Height, pixels.</param>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    /// <summary>Whether a pixel is inside the box.</summary>
    public bool Contains(int x, int y) => x >= X && x < X + Width && y >= Y && y < Y + Height;

    /// <summary>Distance in pixels from a pixel to the box (0 inside).</summary>
    public double Distance(int x, int y)
    {
        int dx = Math.Max(0, Math.Max(X - x, x - (X + Width - 1)));
        int dy = Math.Max(0, Math.Max(Y - y, y - (Y + Height - 1)));
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
