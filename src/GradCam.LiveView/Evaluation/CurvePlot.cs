using OpenCvSharp;

namespace GradCam.LiveView.Evaluation;

/// <summary>The mean deletion and insertion curves of every method, side by side, as a PNG.</summary>
internal static class CurvePlot
{
    private const int PanelWidth = 520, PanelHeight = 400, Left = 60, Right = 20, Top = 50, Bottom = 50;

    /// <summary>One colour per method, shared by the evaluation's plots.</summary>
    internal static readonly Scalar[] s_colours =
    [
        new(180, 119, 31), new(14, 127, 255), new(44, 160, 44), new(40, 39, 214), new(189, 103, 148),
        new(75, 86, 140), new(194, 119, 227), new(127, 127, 127), new(34, 189, 188), new(207, 190, 23),
    ];

    public static void Write(string path, IReadOnlyList<MethodSummary> summaries, int images, string model)
    {
        int legendRows = (summaries.Count + 2) / 3;
        using var canvas = new Mat(PanelHeight + 50 + 24 * legendRows, 2 * PanelWidth, MatType.CV_8UC3, Scalar.White);
        Cv2.PutText(canvas, $"{model}: mean curves over {images} image{(images == 1 ? "" : "s")}", new Point(Left, 28),
                    HersheyFonts.HersheySimplex, 0.7, Scalar.Black, 1, LineTypes.AntiAlias);
        using (var left = canvas[new Rect(0, 40, PanelWidth, PanelHeight)])
            Panel(left, "Deletion (lower AUC is better)", summaries, s => s.Faithfulness.DeletionCurve);
        using (var right = canvas[new Rect(PanelWidth, 40, PanelWidth, PanelHeight)])
            Panel(right, "Insertion (higher AUC is better)", summaries, s => s.Faithfulness.InsertionCurve);
        // One legend for both panels, below them: method, then its deletion and insertion AUC.
        for (int m = 0; m < summaries.Count; m++)
        {
            var at = new Point(Left + (m % 3) * 330, 40 + PanelHeight + 20 + 24 * (m / 3));
            Cv2.Line(canvas, at + new Point(0, -5), at + new Point(22, -5), s_colours[m % s_colours.Length], 3);
            var f = summaries[m].Faithfulness;
            Cv2.PutText(canvas, $"{summaries[m].Method}  del {f.DeletionAuc:0.000}  ins {f.InsertionAuc:0.000}", at + new Point(30, 0),
                        HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);
        }
        if (!canvas.SaveImage(path)) throw new IOException($"could not write the plot '{path}'");
    }

    private static void Panel(Mat panel, string title, IReadOnlyList<MethodSummary> summaries, Func<MethodSummary, double[]> curve)
    {
        int plotW = PanelWidth - Left - Right, plotH = PanelHeight - Top - Bottom;
        Point At(double fx, double fy) => new(Left + (int)Math.Round(fx * plotW), Top + plotH - (int)Math.Round(Math.Clamp(fy, 0, 1) * plotH));

        Cv2.PutText(panel, title, new Point(Left, 30), HersheyFonts.HersheySimplex, 0.55, Scalar.Black, 1, LineTypes.AntiAlias);
        for (int i = 0; i <= 4; i++)
        {
            double f = i / 4.0;
            Cv2.Line(panel, At(0, f), At(1, f), new Scalar(225, 225, 225), 1);
            Cv2.Line(panel, At(f, 0), At(f, 1), new Scalar(225, 225, 225), 1);
            Cv2.PutText(panel, $"{f:0.##}", At(0, f) + new Point(-40, 5), HersheyFonts.HersheySimplex, 0.4, Scalar.Black, 1, LineTypes.AntiAlias);
            Cv2.PutText(panel, $"{f * 100:0}%", At(f, 0) + new Point(-12, 20), HersheyFonts.HersheySimplex, 0.4, Scalar.Black, 1, LineTypes.AntiAlias);
        }
        Cv2.Rectangle(panel, At(0, 1), At(1, 0), Scalar.Black, 1);
        Cv2.PutText(panel, "fraction of pixels", At(0.5, 0) + new Point(-60, 40), HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);

        for (int m = 0; m < summaries.Count; m++)
        {
            var colour = s_colours[m % s_colours.Length];
            var points = curve(summaries[m]);
            var polyline = points.Select((p, i) => At((double)i / (points.Length - 1), p)).ToArray();
            Cv2.Polylines(panel, [polyline], false, colour, 2, LineTypes.AntiAlias);
        }
    }
}
