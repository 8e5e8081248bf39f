namespace GradCam.Detectors;

/// <summary>One box a detector found, after score filtering and non-maximum suppression.</summary>
/// <param name="Rank">Its place among the image's detections, best score first (0 is the best).</param>
/// <param name="Anchor">The row (YOLOv5) or column (YOLOv8) of the raw output it comes from: where its score is read.</param>
/// <param name="Class">The class index.</param>
/// <param name="Label">The class name.</param>
/// <param name="Score">The box's class score (YOLOv5: objectness times class probability).</param>
/// <param name="Box">The box in model-input pixels.</param>
public sealed record Detection(int Rank, int Anchor, int Class, string Label, float Score, DetectionBox Box)
{
    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"#{Rank} {Label} {Score:0.00} {Box}");
}
