using GradCam.Engine;
using GradCam.Engine.Methods;
using OpenCvSharp;

namespace GradCam.Imaging;

/// <summary>The reference article's figure: the input image beside its edge map overlaid with the heatmap, with a caption.</summary>
public static class ExplanationFigure
{
    /// <summary>Renders the figure.</summary>
    /// <param name="image">The original BGR image, any size.</param>
    /// <param name="explanation">Its explanation.</param>
    /// <param name="panelSize">The side of each square panel (the model's input size in the article: 224).</param>
    /// <param name="colormap">The heat colouring (the article's coolwarm by default).</param>
    /// <returns>A new BGR image; the caller disposes it.</returns>
    public static Mat Render(Mat image, Explanation explanation, int panelSize = 224, Colormap colormap = Colormap.Coolwarm)
    {
        const int margin = 8, caption = 40;
        int scale = Math.Max(1, 448 / panelSize); // small inputs are drawn larger, nearest-neighbour free of blur
        int side = panelSize * scale;
        var figure = new Mat(side + caption + 2 * margin, 2 * side + 3 * margin, MatType.CV_8UC3, Scalar.White);

        using var resized = new Mat();
        Cv2.Resize(image, resized, new Size(panelSize, panelSize), 0, 0, InterpolationFlags.Area);
        using var edges = HeatmapOverlay.Edges(resized, explanation.Heatmap, colormap);
        Place(figure, resized, new Rect(margin, margin, side, side));
        Place(figure, edges, new Rect(2 * margin + side, margin, side, side));
        using (var left = new Mat(figure, new Rect(margin, margin, side, side))) DetectionOverlay.Draw(left, explanation);

        string title = CamMethods.Get(explanation.Method).Title;
        string first = explanation.TopK.Count > 0
            ? $"top-1: {Shorten(explanation.TopK[0].Label)} {explanation.TopK[0].Probability * 100:0.0}%"
            : explanation.Detections.Count > 0 ? $"{explanation.Detections.Count} detection(s)" : $"target: {explanation.Target.Formula}";
        string target = explanation.Detection is { } d ? $"{title} of box #{d.Rank} '{Shorten(d.Label)}' (score {d.Score:0.###})"
            : explanation.TargetClass < 0 ? $"{title} of {explanation.TargetLabel} (value {explanation.TargetLogit:0.####})"
            : $"{title} of '{Shorten(explanation.TargetLabel)}' (class {explanation.TargetClass}, p={explanation.TargetProbability:0.###})";
        Cv2.PutText(figure, first, new Point(margin, side + margin + 16), HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);
        Cv2.PutText(figure, target, new Point(margin, side + margin + 34), HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);
        return figure;
    }

    private static void Place(Mat figure, Mat panel, Rect where)
    {
        using var roi = new Mat(figure, where);
        if (panel.Width == where.Width) panel.CopyTo(roi);
        else Cv2.Resize(panel, roi, where.Size, 0, 0, InterpolationFlags.Nearest);
    }

    private static string Shorten(string label) => label.Split(',')[0];
}
