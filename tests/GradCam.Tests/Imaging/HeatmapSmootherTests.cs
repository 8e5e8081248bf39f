using GradCam.Engine;
using GradCam.Imaging;
using Xunit;

namespace GradCam.Tests.Imaging;

public class HeatmapSmootherTests
{
    private static CamMap Map(params float[] v) => new(1, v.Length, v);

    [Fact]
    public void FrameNormalisationIsMinMaxAndFlatMapsStayZero()
    {
        var s = new HeatmapSmoother { Normalization = HeatmapNormalization.Frame };
        Assert.Equal([0f, 0.5f, 1f], s.Next(Map(2, 4, 6)).Data);
        Assert.Equal([0f, 0f, 0f], s.Next(Map(3, 3, 3)).Data);
    }

    [Fact]
    public void FixedScaleClipsAndRunningMaxDecays()
    {
        var fixedScale = new HeatmapSmoother { Normalization = HeatmapNormalization.Fixed, FixedScale = 4 };
        Assert.Equal([0.5f, 1f], fixedScale.Next(Map(2, 8)).Data);

        var running = new HeatmapSmoother { Normalization = HeatmapNormalization.Running, RunningDecay = 0.5f };
        Assert.Equal([0.5f, 1f], running.Next(Map(5, 10)).Data);
        Assert.Equal([0.2f, 0.4f], running.Next(Map(1, 2)).Data);   // weak evidence looks weak: max 10 decayed to 5
    }

    [Fact]
    public void SmoothingAveragesTheRawMapsOverTime()
    {
        var s = new HeatmapSmoother { Normalization = HeatmapNormalization.Fixed, FixedScale = 10, Smoothing = 0.5f };
        s.Next(Map(0, 8));
        Assert.Equal([0.2f, 0.4f], s.Next(Map(4, 0)).Data); // (0 + 4) / 2, (8 + 0) / 2
    }

    [Fact]
    public void PeaksMapToLargerImages()
    {
        var cam = new CamMap(2, 4, [0, 0, 0, 0, 0, 0, 9, 0]);   // peak at column 2, row 1
        Assert.Equal((2, 1), cam.Peak());
        Assert.Equal((50, 30), cam.PeakIn(80, 40));           // centre of that cell: (2.5 * 20, 1.5 * 20)
    }
}
