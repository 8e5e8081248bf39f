using GradCam.Engine;
using OpenCvSharp;

namespace GradCam.Imaging;

/// <summary>Draws heatmaps over images: a colour blend, and the reference article's "edges" view.</summary>
public static class HeatmapOverlay
{
    /// <summary>Blends a coloured heatmap over an image of any size.</summary>
    /// <param name="image">The BGR image (not modified).</param>
    /// <param name="heatmap">Heat in [0, 1] at any resolution; resized bilinearly to the image.</param>
    /// <param name="colormap">The colouring.</param>
    /// <param name="alpha">The heatmap's weight in [0, 1].</param>
    /// <returns>A new BGR image; the caller disposes it.</returns>
    public static Mat Blend(Mat image, CamMap heatmap, Colormap colormap = Colormap.Jet, double alpha = 0.5)
    {
        using var gray = HeatmapColorizer.ToGray(heatmap, image.Size());
        return BlendGray(image, gray, colormap, alpha);
    }

    /// <summary>Blends an 8-bit heat image (same size as the image) over the image.</summary>
    /// <param name="image">The BGR image (not modified).</param>
    /// <param name="heat">CV_8UC1 heat, the image's size.</param>
    /// <param name="colormap">The colouring.</param>
    /// <param name="alpha">The heatmap's weight in [0, 1].</param>
    public static Mat BlendGray(Mat image, Mat heat, Colormap colormap, double alpha)
    {
        using var colored = HeatmapColorizer.Colorize(heat, colormap);
        var result = new Mat();
        Cv2.AddWeighted(image, 1 - alpha, colored, alpha, 0, result);
        return result;
    }

    /// <summary>
    /// The reference article's view: the image's Canny edges (thresholds 100/200) drawn grey on white at half
    /// opacity, then the heatmap at half opacity on top, so the heat reads against the scene's outlines.
    /// </summary>
    /// <param name="image">The BGR image (not modified).</param>
    /// <param name="heatmap">Heat in [0, 1], resized to the image.</param>
    /// <param name="colormap">The colouring (the article uses <see cref="Colormap.Coolwarm"/>).</param>
    /// <returns>A new BGR image of the image's size; the caller disposes it.</returns>
    public static Mat Edges(Mat image, CamMap heatmap, Colormap colormap = Colormap.Coolwarm)
    {
        using var edges = new Mat();
        Cv2.Canny(image, edges, 100, 200); // on the colour image, as the article: the strongest channel gradient counts
        using var inverted = new Mat();
        Cv2.BitwiseNot(edges, inverted);                    // 255 - edges: black outlines on white
        using var outline = new Mat();
        Cv2.CvtColor(inverted, outline, ColorConversionCodes.GRAY2BGR);
        using var white = new Mat(image.Size(), MatType.CV_8UC3, Scalar.White);
        using var background = new Mat();
        Cv2.AddWeighted(outline, 0.5, white, 0.5, 0, background);
        using var heat = HeatmapColorizer.ToGray(heatmap, image.Size());
        return BlendGray(background, heat, colormap, 0.5);
    }
}
