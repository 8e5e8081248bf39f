using GradCam.Engine;

namespace GradCam.Evaluation;

/// <summary>
/// The pointing game (Zhang et al., ECCV 2016): a hit when the heatmap's peak falls on one of the target's boxes,
/// within the game's usual 15-pixel tolerance, given for 224-pixel-wide inputs and scaled to the image.
/// </summary>
public static class PointingGame
{
    /// <summary>The tolerance in pixels for an image of this width: 15 px at 224 px, scaled.</summary>
    /// <param name="imageWidth">The image's width in pixels.</param>
    public static double Tolerance(int imageWidth) => 15.0 * imageWidth / 224;

    /// <summary>Whether the heatmap's peak, mapped to the image, lies within the tolerance of any box.</summary>
    /// <param name="heatmap">The heatmap covering the whole image.</param>
    /// <param name="boxes">The target's boxes in image pixels.</param>
    /// <param name="imageWidth">The image's width.</param>
    /// <param name="imageHeight">The image's height.</param>
    public static bool Hit(CamMap heatmap, IReadOnlyList<PixelBox> boxes, int imageWidth, int imageHeight)
    {
        var (x, y) = heatmap.PeakIn(imageWidth, imageHeight);
        double tolerance = Tolerance(imageWidth);
        return boxes.Any(b => b.Distance(x, y) <= tolerance);
    }
}
