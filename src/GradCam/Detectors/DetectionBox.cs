namespace GradCam.Detectors;

/// <summary>An axis-aligned box by its corners, in the pixels of the image it was found in.</summary>
/// <param name="X1">Left.</param>
/// <param name="Y1">Top.</param>
/// <param name="X2">Right.</param>
/// <param name="Y2">Bottom.</param>
public readonly record struct DetectionBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>A box from its centre and size, as detectors output them.</summary>
    public static DetectionBox FromCentre(float cx, float cy, float width, float height) =>
        new(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2);

    /// <summary>Width (0 for an inverted box).</summary>
    public float Width => Math.Max(0, X2 - X1);

    /// <summary>Height (0 for an inverted box).</summary>
    public float Height => Math.Max(0, Y2 - Y1);

    /// <summary>Area.</summary>
    public float Area => Width * Height;

    /// <summary>Intersection over union with another box (0 when either is empty).</summary>
    public float IoU(DetectionBox other)
    {
        float w = Math.Min(X2, other.X2) - Math.Max(X1, other.X1);
        float h = Math.Min(Y2, other.Y2) - Math.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0) return 0;
        float intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }

    /// <summary>Whether a point is inside the box.</summary>
    public bool Contains(float x, float y) => x >= X1 && x <= X2 && y >= Y1 && y <= Y2;

    /// <summary>The box in another image that the first one was resized to (e.g. from model input to the original image).</summary>
    /// <param name="scaleX">New width over old width.</param>
    /// <param name="scaleY">New height over old height.</param>
    public DetectionBox Scaled(double scaleX, double scaleY) =>
        new((float)(X1 * scaleX), (float)(Y1 * scaleY), (float)(X2 * scaleX), (float)(Y2 * scaleY));

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"[{X1:0.#}, {Y1:0.#}, {X2:0.#}, {Y2:0.#}]");
}
