using GradCam.Engine;
using GradCam.Imaging;
using OpenCvSharp;
using Xunit;

namespace GradCam.Tests.Imaging;

public class HeatmapColorizerTests
{
    [Theory]
    [InlineData(Colormap.Jet, ColormapTypes.Jet)]
    [InlineData(Colormap.Turbo, ColormapTypes.Turbo)]
    public void CachedLutsEqualOpenCvsColormaps(Colormap ours, ColormapTypes opencv)
    {
        using var ramp = new Mat(256, 1, MatType.CV_8UC1);
        for (int i = 0; i < 256; i++) ramp.Set(i, 0, (byte)i);
        using var expected = new Mat();
        Cv2.ApplyColorMap(ramp, expected, opencv);
        using var actual = HeatmapColorizer.Colorize(ramp, ours);
        using var diff = new Mat();
        Cv2.Absdiff(expected, actual, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
    }

    [Fact]
    public void CoolwarmMatchesMatplotlibAtItsEndsAndMiddle()
    {
        // matplotlib.cm.coolwarm(0.0), (0.5), (1.0) in RGB; ours is BGR.
        Assert.Equal(new Vec3b(192, 76, 59), HeatmapColorizer.ColorOf(0, Colormap.Coolwarm));
        var mid = HeatmapColorizer.ColorOf(0.5, Colormap.Coolwarm);
        Assert.InRange(mid.Item0, 218, 224);
        Assert.InRange(mid.Item1, 218, 224);
        Assert.InRange(mid.Item2, 218, 224);
        Assert.Equal(new Vec3b(38, 4, 180), HeatmapColorizer.ColorOf(1, Colormap.Coolwarm));
    }

    [Fact]
    public void BlendPutsTheHotColourWhereTheHeatIs()
    {
        using var image = new Mat(40, 40, MatType.CV_8UC3, new Scalar(128, 128, 128));
        var heat = new float[16];
        heat[3 * 4 + 3] = 1; // bottom-right cell of a 4x4 map
        using var blended = HeatmapOverlay.Blend(image, new CamMap(4, 4, heat), Colormap.Jet, 0.5);
        var hot = blended.At<Vec3b>(38, 38);
        var cold = blended.At<Vec3b>(1, 1);
        Assert.True(hot.Item2 > hot.Item0 + 40, $"hot corner should be red-ish, got {hot}");   // JET's 1.0 is red
        Assert.True(cold.Item0 > cold.Item2 + 20, $"cold corner should be blue-ish, got {cold}"); // JET's 0.0 is blue
    }
}
