using GradCam.Detectors;
using GradCam.Engine;
using OpenCvSharp;

namespace GradCam.Imaging;

/// <summary>Draws a detector's boxes with their labels and scores; the explained box stands out.</summary>
public static class DetectionOverlay
{
    private static readonly Scalar Other = new(200, 200, 200);
    private static readonly Scalar Explained = new(0, 255, 255);

    /// <summary>Up to this many detections, every box is labelled; beyond, only the explained one.</summary>
    public const int MaxLabelled = 10;

    /// <summary>Draws an explanation's detections on an image of any size, in place.</summary>
    /// <param name="image">The BGR image drawn on; the model's input covers all of it.</param>
    /// <param name="explanation">The explanation: its detections (model-input pixels) and the explained one.</param>
    public static void Draw(Mat image, Explanation explanation)
    {
        if (explanation.Detections.Count == 0) return;
        // Boxes are in model-input pixels; the heatmap has the input's size.
        double sx = (double)image.Width / explanation.Heatmap.Width, sy = (double)image.Height / explanation.Heatmap.Height;
        double font = Math.Clamp(image.Width / 900.0, 0.35, 0.8);
        int thin = Math.Max(1, image.Width / 400);
        foreach (var d in explanation.Detections.OrderBy(d => d == explanation.Detection))
        {
            bool explained = explanation.Detection is { } e && e.Rank == d.Rank;
            var box = d.Box.Scaled(sx, sy);
            var rect = new Rect((int)Math.Round(box.X1), (int)Math.Round(box.Y1), Math.Max(1, (int)Math.Round(box.Width)), Math.Max(1, (int)Math.Round(box.Height)));
            var colour = explained ? Explained : Other;
            Cv2.Rectangle(image, rect, Scalar.Black, (explained ? 3 : 1) * thin + 2, LineTypes.AntiAlias);
            Cv2.Rectangle(image, rect, colour, (explained ? 3 : 1) * thin, LineTypes.AntiAlias);
            if (!explained && explanation.Detections.Count > MaxLabelled) continue;   // many boxes: label the explained one only
            string text = FormattableString.Invariant($"{d.Label} {d.Score:0.00}");
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, font, 1, out int baseline);
            int top = Math.Max(size.Height + baseline, rect.Y);
            Cv2.Rectangle(image, new Rect(rect.X, top - size.Height - baseline, size.Width + 4, size.Height + baseline), colour, -1);
            Cv2.PutText(image, text, new Point(rect.X + 2, top - baseline), HersheyFonts.HersheySimplex, font, Scalar.Black, 1, LineTypes.AntiAlias);
        }
    }
}
