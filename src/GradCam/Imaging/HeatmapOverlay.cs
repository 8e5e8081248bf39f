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

    /// <summary>
    /// Blends a coloured heatmap with an opacity that follows the heat: <c>out = image + α·h·(colour − image)</c>, so a
    /// cold pixel (<c>h = 0</c>) keeps the frame's own colour exactly and the hottest is blended at <paramref name="alpha"/>.
    /// The frame stays readable where the model does not look, instead of being tinted by the colormap's cold end.
    /// </summary>
    /// <param name="image">The BGR image (not modified).</param>
    /// <param name="heatmap">Heat in [0, 1] at any resolution; resized bilinearly to the image.</param>
    /// <param name="colormap">The colouring.</param>
    /// <param name="alpha">The opacity of full heat, in [0, 1].</param>
    /// <returns>A new BGR image; the caller disposes it.</returns>
    public static Mat BlendByHeat(Mat image, CamMap heatmap, Colormap colormap = Colormap.Jet, double alpha = 0.6)
    {
        using var gray = HeatmapColorizer.ToGray(heatmap, image.Size());
        using var colored = HeatmapColorizer.Colorize(gray, colormap);
        using var weight = new Mat();
        gray.ConvertTo(weight, MatType.CV_32FC1, alpha / 255.0);
        using var weights = new Mat();
        Cv2.Merge([weight, weight, weight], weights);
        using var frame = new Mat();
        image.ConvertTo(frame, MatType.CV_32FC3);
        using var heat = new Mat();
        colored.ConvertTo(heat, MatType.CV_32FC3);
        using var difference = new Mat();
        Cv2.Subtract(heat, frame, difference);
        using var weighted = difference.Mul(weights).ToMat();
        using var blended = new Mat();
        Cv2.Add(frame, weighted, blended);
        var result = new Mat();
        blended.ConvertTo(result, MatType.CV_8UC3);
        return result;
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
