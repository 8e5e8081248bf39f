using System.Runtime.InteropServices;
using GradCam.Engine;
using OpenCvSharp;

namespace GradCam.Imaging;

/// <summary>Turns heat values in [0, 1] into BGR colours.</summary>
public static class HeatmapColorizer
{
    // matplotlib's coolwarm (Moreland's diverging map) sampled at 0, 1/8, ..., 1; linear in between.
    private static readonly (double R, double G, double B)[] s_coolwarm =
    [
        (0.2298, 0.2987, 0.7537), (0.3848, 0.5099, 0.9170), (0.5543, 0.6901, 0.9955), (0.7208, 0.8023, 0.9663),
        (0.8654, 0.8654, 0.8654), (0.9583, 0.7731, 0.6872), (0.9567, 0.5975, 0.4773), (0.8764, 0.3649, 0.2940),
        (0.7057, 0.0156, 0.1502),
    ];

    // OpenCV rebuilds its built-in colormaps on every ApplyColorMap call (about 10 ms); a cached 256-entry LUT is
    // applied in microseconds.
    private static readonly Lazy<Mat> s_coolwarmLut = new(BuildCoolwarmLut);
    private static readonly Lazy<Mat> s_jetLut = new(() => BuiltInLut(ColormapTypes.Jet));
    private static readonly Lazy<Mat> s_turboLut = new(() => BuiltInLut(ColormapTypes.Turbo));

    /// <summary>Converts a heatmap (values in [0, 1]) into an 8-bit single-channel image, resized when asked.</summary>
    /// <param name="heatmap">The heatmap.</param>
    /// <param name="size">The output size; the heatmap's own when null.</param>
    /// <returns>A CV_8UC1 image; the caller disposes it.</returns>
    public static Mat ToGray(CamMap heatmap, Size? size = null)
    {
        using var floats = new Mat(heatmap.Height, heatmap.Width, MatType.CV_32FC1);
        Marshal.Copy(heatmap.Data, 0, floats.Data, heatmap.Data.Length);
        using var resized = new Mat();
        var target = size ?? new Size(heatmap.Width, heatmap.Height);
        if (target.Width != heatmap.Width || target.Height != heatmap.Height)
            Cv2.Resize(floats, resized, target, 0, 0, InterpolationFlags.Linear);
        else
            floats.CopyTo(resized);
        var gray = new Mat();
        resized.ConvertTo(gray, MatType.CV_8UC1, 255.0);
        return gray;
    }

    /// <summary>Colours an 8-bit heat image.</summary>
    /// <param name="gray">Heat as CV_8UC1 (0 = cold, 255 = hot).</param>
    /// <param name="colormap">The colouring.</param>
    /// <returns>A BGR CV_8UC3 image; the caller disposes it.</returns>
    public static Mat Colorize(Mat gray, Colormap colormap)
    {
        var lut = colormap switch
        {
            Colormap.Jet => s_jetLut.Value,
            Colormap.Turbo => s_turboLut.Value,
            _ => s_coolwarmLut.Value,
        };
        var colored = new Mat();
        Cv2.ApplyColorMap(gray, colored, lut);
        return colored;
    }

    /// <summary>The BGR colour of a heat value.</summary>
    /// <param name="value">Heat in [0, 1].</param>
    /// <param name="colormap">The colouring.</param>
    public static Vec3b ColorOf(double value, Colormap colormap)
    {
        using var gray = new Mat(1, 1, MatType.CV_8UC1, new Scalar(Math.Clamp(Math.Round(value * 255), 0, 255)));
        using var colored = Colorize(gray, colormap);
        return colored.At<Vec3b>(0, 0);
    }

    private static Mat BuiltInLut(ColormapTypes type)
    {
        using var ramp = new Mat(256, 1, MatType.CV_8UC1);
        for (int i = 0; i < 256; i++) ramp.Set(i, 0, (byte)i);
        var lut = new Mat();
        Cv2.ApplyColorMap(ramp, lut, type);
        return lut;
    }

    private static Mat BuildCoolwarmLut()
    {
        var lut = new Mat(256, 1, MatType.CV_8UC3);
        int segments = s_coolwarm.Length - 1;
        for (int i = 0; i < 256; i++)
        {
            double t = i / 255.0 * segments;
            int k = Math.Min((int)t, segments - 1);
            double f = t - k;
            var (r0, g0, b0) = s_coolwarm[k];
            var (r1, g1, b1) = s_coolwarm[k + 1];
            static byte C(double a, double b, double f) => (byte)Math.Round(255 * (a + (b - a) * f));
            lut.Set(i, 0, new Vec3b(C(b0, b1, f), C(g0, g1, f), C(r0, r1, f)));
        }
        return lut;
    }
}
