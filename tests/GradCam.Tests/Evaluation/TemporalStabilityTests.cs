using GradCam.Engine;
using GradCam.Evaluation;
using GradCam.Imaging;
using OpenCvSharp;
using Xunit;

namespace GradCam.Tests.Evaluation;

/// <summary>
/// The temporal stability metric on sequences whose answer is known: a constant map, a map that jumps, and how much an
/// exponential moving average lowers the change (in closed form).
/// </summary>
public sealed class TemporalStabilityTests
{
    // Two maps of equal variance and zero correlation (centred: [.5,-.5,.5,-.5] and [.5,.5,-.5,-.5]).
    private static readonly float[] s_a = [1, 0, 1, 0], s_b = [1, 1, 0, 0];

    private static Mat Grey(byte value) => new(2, 2, MatType.CV_8UC3, new Scalar(value, value, value));

    [Fact]
    public void Decorrelation_is_zero_for_the_same_shape_one_for_unrelated_maps_and_two_for_opposite_ones()
    {
        Assert.Equal(0, MapDifference.Decorrelation([1, 2, 3, 4], [10, 20, 30, 40]), 12); // scale and offset do not count
        Assert.Equal(1, MapDifference.Decorrelation(s_a, s_b), 12);
        Assert.Equal(2, MapDifference.Decorrelation([1, 0, 1, 0], [0, 1, 0, 1]), 12);
        // r = 4 / sqrt(5 · 5) = 0.8 by hand.
        Assert.Equal(0.2, MapDifference.Decorrelation([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.Equal(0, MapDifference.Decorrelation([3, 3, 3, 3], [0, 0, 0, 0]), 12);
        Assert.Equal(1, MapDifference.Decorrelation([3, 3, 3, 3], [0, 1, 0, 0]), 12);
        Assert.Equal(0.5, MapDifference.MeanAbsolute([0, 1, 0, 1], [1, 1, 1, 1]), 12);
        Assert.Throws<ArgumentException>(() => MapDifference.Decorrelation([1, 2], [1, 2, 3]));
    }

    [Fact]
    public void The_scene_grid_is_the_mean_luminance_of_each_cell()
    {
        using var frame = new Mat(4, 8, MatType.CV_8UC3, Scalar.Black);
        frame[new Rect(0, 0, 4, 4)].SetTo(Scalar.White);              // the left half white
        frame[new Rect(4, 0, 2, 4)].SetTo(new Scalar(255, 255, 255));  // and half of the third quarter
        var grid = SceneGrid.From(frame, 1, 4);
        Assert.Equal([1f, 1f, 1f, 0f], grid.Data);
        var coarse = SceneGrid.From(frame, 1, 2);
        Assert.Equal(1f, coarse.Data[0], 6);
        Assert.Equal(0.5f, coarse.Data[1], 6);
    }

    [Fact]
    public void A_constant_map_over_a_still_scene_changes_by_zero()
    {
        var meter = new TemporalStabilityMeter();
        using var frame = Grey(100);
        for (int i = 0; i < 10; i++) meter.Add(new CamMap(2, 2, [0.1f, 0.9f, 0.4f, 0.2f]), frame);
        Assert.Equal(new TemporalStability(9, 0, 0, 0), meter.Total);
        Assert.Null(meter.Total.Ratio); // a still scene: no ratio
    }

    [Fact]
    public void A_map_that_jumps_over_a_still_scene_changes_by_one_per_frame()
    {
        var meter = new TemporalStabilityMeter(window: 4);
        using var frame = Grey(100);
        Assert.Null(meter.Add(new CamMap(2, 2, s_a), frame));
        for (int i = 1; i < 21; i++) Assert.Equal(1, meter.Add(new CamMap(2, 2, i % 2 == 0 ? s_a : s_b), frame)!.Value.Map, 12);
        Assert.Equal(20, meter.Total.Pairs);
        Assert.Equal(1, meter.Total.MapChange, 12);
        Assert.Equal(0.5, meter.Total.HeatChange, 12); // half the cells swap 0 and 1
        Assert.Equal(0, meter.Total.SceneChange, 12);
        Assert.Equal(4, meter.Recent.Pairs);
    }

    [Fact]
    public void The_ratio_compares_the_maps_change_with_the_scenes()
    {
        var meter = new TemporalStabilityMeter();
        // The scene alternates between two uncorrelated patterns too: it changes as much as the map.
        using var left = new Mat(2, 2, MatType.CV_8UC3, Scalar.Black);
        left.Set(0, 0, new Vec3b(255, 255, 255));
        left.Set(1, 0, new Vec3b(255, 255, 255));
        using var top = new Mat(2, 2, MatType.CV_8UC3, Scalar.Black);
        top.Set(0, 0, new Vec3b(255, 255, 255));
        top.Set(0, 1, new Vec3b(255, 255, 255));
        for (int i = 0; i < 11; i++) meter.Add(new CamMap(2, 2, i % 2 == 0 ? s_a : s_b), i % 2 == 0 ? left : top);
        Assert.Equal(1, meter.Total.SceneChange, 6);
        Assert.Equal(1, meter.Total.Ratio!.Value, 6);
    }

    /// <summary>
    /// With EMA weight <c>a</c>, maps alternating between A and B (correlation ρ, equal variance) settle at
    /// <c>s_A = (A + aB) / (1 + a)</c> and <c>s_B = (B + aA) / (1 + a)</c>, whose change is
    /// <c>1 − r = (1 − ρ)(1 − a)² / (1 + a² + 2aρ)</c>: 0.2 for ρ = 0, a = 0.5.
    /// </summary>
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.8, 0.0)]
    [InlineData(0.5, 0.8)]
    [InlineData(0.9, 0.8)]
    public void An_ema_lowers_the_change_of_a_jumping_map_by_the_closed_form_amount(double a, double rho)
    {
        float[] first = rho == 0 ? s_a : [1, 2, 3, 4], second = rho == 0 ? s_b : [1, 3, 2, 4];
        var smoother = new HeatmapSmoother { Smoothing = (float)a, Normalization = HeatmapNormalization.Frame };
        var meter = new TemporalStabilityMeter(window: 30);
        using var frame = Grey(50);
        for (int i = 0; i < 1000; i++) meter.Add(smoother.Next(new CamMap(2, 2, i % 2 == 0 ? first : second)), frame);
        double expected = (1 - rho) * (1 - a) * (1 - a) / (1 + a * a + 2 * a * rho);
        Assert.Equal(expected, meter.Recent.MapChange, 5);      // the steady state
        Assert.Equal(expected, meter.Total.MapChange, 2);       // the whole run, start included
    }

    [Fact]
    public void A_sweep_measures_each_smoothing_setting_and_more_smoothing_changes_less()
    {
        var sweep = new SmoothingSweep([0f, 0.5f, 0.8f], HeatmapNormalization.Frame);
        using var frame = Grey(50);
        for (int i = 0; i < 400; i++) sweep.Add(new CamMap(2, 2, i % 2 == 0 ? s_a : s_b), frame);
        var results = sweep.Results;
        Assert.Equal([0f, 0.5f, 0.8f], results.Select(r => r.Ema));
        Assert.Equal(1, results[0].Stability.MapChange, 6);
        Assert.Equal(0.2, results[1].Stability.MapChange, 2);
        Assert.Equal(0.04 / 1.64, results[2].Stability.MapChange, 2);
        Assert.Throws<ArgumentException>(() => new SmoothingSweep([1f], HeatmapNormalization.Frame));
        Assert.Throws<ArgumentException>(() => new SmoothingSweep([], HeatmapNormalization.Frame));
    }
}
