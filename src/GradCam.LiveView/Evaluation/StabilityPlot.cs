using OpenCvSharp;

namespace GradCam.LiveView.Evaluation;

/// <summary>Each method's map change over the frames (no smoothing), with the scene's change beneath, as a PNG.</summary>
internal static class StabilityPlot
{
    private const int Width = 1040, Height = 420, Left = 60, Right = 20, Top = 50, Bottom = 50;

    public static void Write(string path, IReadOnlyList<string> methods, IReadOnlyList<TemporalRow> rows, string model)
    {
        float unsmoothed = rows[0].Ema; // each sweep's first setting: the map as explained
        var series = methods.Select(m => rows.Where(r => r.Method == m && r.Ema == unsmoothed).ToList()).ToList();
        var scene = series.FirstOrDefault(s => s.Count > 0) ?? [];
        int pairs = series.Max(s => s.Count);
        double step = NiceStep(rows.Where(r => r.Ema == unsmoothed).Max(r => Math.Max(r.Change.Map, r.Change.Scene)) / 4), top = 4 * step;
        int legendRows = (methods.Count + 1 + 2) / 3;
        using var canvas = new Mat(Height + 24 * legendRows, Width, MatType.CV_8UC3, Scalar.White);
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        Point At(double i, double v) => new(Left + (int)Math.Round(i / Math.Max(1, pairs - 1) * plotW), Top + plotH - (int)Math.Round(Math.Clamp(v / top, 0, 1) * plotH));

        Cv2.PutText(canvas, $"{model}: change between consecutive frames (1 - correlation), {pairs} pairs, no smoothing",
                    new Point(Left, 28), HersheyFonts.HersheySimplex, 0.6, Scalar.Black, 1, LineTypes.AntiAlias);
        for (int i = 0; i <= 4; i++)
        {
            double v = top * i / 4;
            Cv2.Line(canvas, At(0, v), At(pairs - 1, v), new Scalar(225, 225, 225), 1);
            Cv2.PutText(canvas, $"{v:0.###}", At(0, v) + new Point(-50, 5), HersheyFonts.HersheySimplex, 0.4, Scalar.Black, 1, LineTypes.AntiAlias);
            int pair = (int)Math.Round((pairs - 1) * i / 4.0);
            Cv2.PutText(canvas, $"{pair}", At(pair, 0) + new Point(-10, 18), HersheyFonts.HersheySimplex, 0.4, Scalar.Black, 1, LineTypes.AntiAlias);
        }
        Cv2.Rectangle(canvas, At(0, top), At(pairs - 1, 0), Scalar.Black, 1);
        Cv2.PutText(canvas, "frame pair", At(pairs - 1, 0) + new Point(-80, 36), HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);

        var grey = new Scalar(150, 150, 150);
        if (scene.Count > 1) Cv2.Polylines(canvas, [scene.Select((r, i) => At(i, r.Change.Scene)).ToArray()], false, grey, 2, LineTypes.AntiAlias);
        for (int m = 0; m < methods.Count; m++)
            if (series[m].Count > 1)
                Cv2.Polylines(canvas, [series[m].Select((r, i) => At(i, r.Change.Map)).ToArray()], false, CurvePlot.s_colours[m % CurvePlot.s_colours.Length], 2, LineTypes.AntiAlias);

        var legend = methods.Select((m, i) => (Name: m, Colour: CurvePlot.s_colours[i % CurvePlot.s_colours.Length], Mean: series[i].Count == 0 ? 0 : series[i].Average(r => r.Change.Map)))
            .Append((Name: "scene", Colour: grey, Mean: scene.Count == 0 ? 0 : scene.Average(r => r.Change.Scene))).ToList();
        for (int k = 0; k < legend.Count; k++)
        {
            var at = new Point(Left + (k % 3) * 330, Height + 10 + 24 * (k / 3));
            Cv2.Line(canvas, at + new Point(0, -5), at + new Point(22, -5), legend[k].Colour, 3);
            Cv2.PutText(canvas, $"{legend[k].Name}  mean {legend[k].Mean:0.000}", at + new Point(30, 0), HersheyFonts.HersheySimplex, 0.45, Scalar.Black, 1, LineTypes.AntiAlias);
        }
        if (!canvas.SaveImage(path)) throw new IOException($"could not write the plot '{path}'");
    }

    /// <summary>The smallest 1, 2 or 5 × 10^k at least <paramref name="atLeast"/>: round grid lines.</summary>
    private static double NiceStep(double atLeast)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(atLeast, 1e-4))));
        foreach (double m in (double[])[1, 2, 5])
            if (m * magnitude >= atLeast) return m * magnitude;
        return 10 * magnitude;
    }
}
