using GradCam.Engine;
using GradCam.Imaging;
using OpenCvSharp;
using Xunit;

namespace GradCam.Tests.Imaging;

/// <summary>The heat-weighted overlay: cold pixels keep the frame's colour exactly; full heat is the uniform blend.</summary>
public sealed class HeatWeightedBlendTests
{
    private static Mat Frame()
    {
        var frame = new Mat(30, 40, MatType.CV_8UC3);
        Cv2.Randu(frame, new Scalar(0, 0, 0), new Scalar(256, 256, 256));
        return frame;
    }

    [Fact]
    public void A_cold_map_leaves_every_pixel_unchanged()
    {
        using var frame = Frame();
        using var blended = HeatmapOverlay.BlendByHeat(frame, new CamMap(4, 4, new float[16]), Colormap.Jet, alpha: 0.8);
        using var difference = new Mat();
        Cv2.Absdiff(frame, blended, difference);
        Assert.Equal(0, Cv2.CountNonZero(difference.Reshape(1)));
        // The uniform blend tints the same frame everywhere: the contrast this overlay exists for.
        using var uniform = HeatmapOverlay.Blend(frame, new CamMap(4, 4, new float[16]), Colormap.Jet, 0.8);
        Cv2.Absdiff(frame, uniform, difference);
        Assert.True(Cv2.CountNonZero(difference.Reshape(1)) > 30 * 40);
    }

    [Fact]
    public void Full_heat_is_the_uniform_blend_and_half_heat_half_the_opacity()
    {
        using var frame = Frame();
        using var full = HeatmapOverlay.BlendByHeat(frame, new CamMap(2, 2, [1, 1, 1, 1]), Colormap.Jet, alpha: 0.6);
        using var uniform = HeatmapOverlay.Blend(frame, new CamMap(2, 2, [1, 1, 1, 1]), Colormap.Jet, 0.6);
        using var difference = new Mat();
        Cv2.Absdiff(full, uniform, difference);
        Cv2.MinMaxLoc(difference.Reshape(1), out _, out double worst);
        Assert.True(worst <= 1, $"rounding only, got {worst}");

        // Half heat (128/255 after quantisation) at alpha 0.6: out = image + 0.6 * 128/255 * (colour - image).
        using var half = HeatmapOverlay.BlendByHeat(frame, new CamMap(2, 2, [0.5f, 0.5f, 0.5f, 0.5f]), Colormap.Jet, alpha: 0.6);
        using var gray = new Mat(30, 40, MatType.CV_8UC1, new Scalar(HeatmapColorizer.ToGray(new CamMap(1, 1, [0.5f]), new Size(1, 1)).At<byte>(0, 0)));
        using var colour = HeatmapColorizer.Colorize(gray, Colormap.Jet);
        double w = 0.6 * gray.At<byte>(0, 0) / 255.0;
        var p = frame.At<Vec3b>(7, 9);
        var c = colour.At<Vec3b>(7, 9);
        var h = half.At<Vec3b>(7, 9);
        for (int k = 0; k < 3; k++) Assert.Equal(p[k] + w * (c[k] - p[k]), h[k], 0.51);
    }
}
