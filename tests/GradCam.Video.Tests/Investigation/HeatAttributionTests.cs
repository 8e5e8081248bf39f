using GradCam.Engine;
using GradCam.Video.Investigation;
using Xunit;

namespace GradCam.Video.Tests.Investigation;

/// <summary>The attribution numbers on a hand-made map whose answers are worked out here.</summary>
public sealed class HeatAttributionTests
{
    // A 10x10 map over a 100x100 frame: a 2x2 block of heat 1 at cells x 2..3, y 2..3 (the peak), and a 3x1 streak of 0.75
    // at cells x 7..9, y 8. Total heat 4 + 2.25 = 6.25 (every value exact in binary).
    private static CamMap Map()
    {
        var data = new float[100];
        foreach (var (x, y) in new[] { (2, 2), (3, 2), (2, 3), (3, 3) }) data[y * 10 + x] = 1f;
        foreach (int x in new[] { 7, 8, 9 }) data[8 * 10 + x] = 0.75f;
        return new CamMap(10, 10, data);
    }

    private static readonly TruthObject Sign = new("stop sign", 20, 20, 20, 20, true);       // exactly the block's 4 cells
    private static readonly TruthObject Car = new("oncoming car", 50, 0, 50, 50, false);      // 25 cells, no heat

    [Fact]
    public void Heat_share_area_share_and_concentration_are_exact()
    {
        var shares = HeatAttribution.Shares(Map(), [Car, Sign], 100, 100);
        var sign = shares[0];
        Assert.Equal("stop sign", sign.Object.Name);
        Assert.True(sign.HoldsPeak);
        Assert.Equal(4 / 6.25, sign.HeatShare, 9);
        Assert.Equal(0.04, sign.AreaShare, 9);
        Assert.Equal(4 / 6.25 / 0.04, sign.Concentration, 9);    // 16x the frame's average density
        var car = shares[1];
        Assert.False(car.HoldsPeak);
        Assert.Equal(0, car.HeatShare);
        Assert.Equal(0.25, car.AreaShare, 9);
        Assert.Equal(0, car.Concentration);
    }

    [Fact]
    public void Hot_regions_are_found_and_the_one_no_object_covers_is_named()
    {
        var regions = HeatAttribution.HotRegions(Map(), [Car, Sign], 100, 100);
        Assert.Equal(2, regions.Count);
        Assert.Equal(new HeatAttribution.HotRegion(20, 20, 20, 20, 4 / 6.25, true, "stop sign"), regions[0]);
        Assert.Equal(new HeatAttribution.HotRegion(70, 80, 30, 10, 2.25 / 6.25, false, null), regions[1]);
        Assert.Equal("the bottom right", regions[1].Where(100, 100));
        Assert.Equal("the top left", regions[0].Where(100, 100));

        // Without ground truth every region is uncovered; the hot spot is the peak's region.
        Assert.All(HeatAttribution.HotRegions(Map(), null, 100, 100), r => Assert.Null(r.CoveredBy));
        Assert.Equal((20, 20, 20, 20), HeatAttribution.HotSpot(Map(), 100, 100));
    }

    [Fact]
    public void A_flat_map_has_no_hot_region()
    {
        Assert.Empty(HeatAttribution.HotRegions(new CamMap(2, 2, new float[4]), null, 10, 10));
        var uniform = HeatAttribution.HotRegions(new CamMap(2, 2, [1, 1, 1, 1]), null, 10, 10);
        Assert.Equal(new HeatAttribution.HotRegion(0, 0, 10, 10, 1, true, null), Assert.Single(uniform));
    }
}
