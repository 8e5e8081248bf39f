using GradCam.Dashcam.World;
using OpenCvSharp;
using Xunit;

namespace GradCam.Dashcam.Tests.World;

public class SceneRendererTests
{
    private static Scene One(SceneObject o) => new([o]) { Noise = 0, Travelled = 5 };

    [Fact]
    public void RenderingIsDeterministic()
    {
        var (scene, _) = new SceneSampler(3).Next();
        var (a, ta) = SceneRenderer.Render(scene, 320, 180);
        var (b, tb) = SceneRenderer.Render(scene, 320, 180);
        using (a) using (b)
        {
            using var diff = new Mat();
            Cv2.Absdiff(a, b, diff);
            Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
        }
        Assert.Equal(ta.Stop, tb.Stop);
        Assert.Equal(ta.Objects, tb.Objects);
    }

    [Theory]
    [InlineData(ObjectKind.StopSign, 2.7, 15)]
    [InlineData(ObjectKind.Billboard, 7.5, 30)]
    [InlineData(ObjectKind.CarAhead, 0, 12)]
    public void TheBoxHoldsWhatIsDrawn(ObjectKind kind, double x, double z)
    {
        var red = new Scalar(30, 20, 200);
        var o = new SceneObject(kind, x, z) { Color = red, IsRed = true, Braking = true };
        var (image, truth) = SceneRenderer.Render(One(o), 640, 360);
        using (image)
        {
            var box = Assert.Single(truth.Objects);
            Assert.Equal(kind, box.Kind);
            // The object's red paint lies inside its box and nowhere else.
            using var mask = new Mat();
            Cv2.InRange(image, new Scalar(0, 0, 150), new Scalar(80, 80, 255), mask);
            int all = Cv2.CountNonZero(mask);
            using var inside = new Mat(mask, new Rect(box.X, box.Y, box.Width, box.Height));
            Assert.True(all > 20, $"no red paint drawn for {kind}");
            Assert.Equal(all, Cv2.CountNonZero(inside));
        }
    }

    [Fact]
    public void LabelsFollowTheRule()
    {
        Assert.True(StopRule.IsReason(new SceneObject(ObjectKind.TrafficLight, 3, 20) { Light = LightState.Red }));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.TrafficLight, 3, 45) { Light = LightState.Red }));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.TrafficLight, 3, 20) { Light = LightState.Green }));
        Assert.True(StopRule.IsReason(new SceneObject(ObjectKind.StopSign, 2.7, 15)));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.StopSign, 2.7, 40)));
        Assert.True(StopRule.IsReason(new SceneObject(ObjectKind.Pedestrian, 0, 20)));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.Pedestrian, 4, 20)));   // on the verge
        Assert.True(StopRule.IsReason(new SceneObject(ObjectKind.CarAhead, 0, 10) { Braking = true }));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.CarAhead, 0, 10)));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.Billboard, 7, 15) { IsRed = true }));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.OncomingCar, -3.5, 10)));
        Assert.False(StopRule.IsReason(new SceneObject(ObjectKind.Tumbleweed, 0, 10)));

    }

    [Theory]
    [InlineData(ObjectKind.TrafficLight, StopRule.RedLightM)]
    [InlineData(ObjectKind.StopSign, StopRule.StopSignM)]
    [InlineData(ObjectKind.Pedestrian, StopRule.PedestrianM)]
    [InlineData(ObjectKind.CarAhead, StopRule.BrakingCarM)]
    public void EachReasonStopsOneMetreInsideItsDistanceAndNotOneMetreBeyond(ObjectKind kind, double metres)
    {
        SceneObject At(double z) => new(kind, 0, z) { Light = LightState.Red, Braking = true };
        Assert.Equal((30.0, 22.0, 30.0, 18.0), (StopRule.RedLightM, StopRule.StopSignM, StopRule.PedestrianM, StopRule.BrakingCarM));
        Assert.True(StopRule.IsStop(new Scene([At(metres - 1)])), $"{kind} at {metres - 1} m");
        Assert.False(StopRule.IsStop(new Scene([At(metres + 1)])), $"{kind} at {metres + 1} m");
        // Objects already passed (2 m or less) are no reason, whatever they are.
        Assert.False(StopRule.IsStop(new Scene([At(1.5)])));
    }

    [Fact]
    public void TheShortcutBiasTiesRedBillboardsToStops()
    {
        var sampler = new SceneSampler(5, DatasetBias.RedBillboard);
        int stopsWithRed = 0, stops = 0, gosWithRed = 0;
        for (int i = 0; i < 400; i++)
        {
            var (scene, stop) = sampler.Next();
            bool red = scene.Objects.Any(o => o.Kind == ObjectKind.Billboard && o.IsRed);
            if (stop) { stops++; if (red) stopsWithRed++; }
            else if (red) gosWithRed++;
        }
        Assert.Equal(0, gosWithRed);
        Assert.True(stopsWithRed > 0.9 * stops);
    }

    [Fact]
    public void TheDriveTellsTheStory()
    {
        var truth = Enumerable.Range(0, (int)(Drive.Seconds * Drive.Fps)).Select(i => SceneRenderer.Render(Drive.At(i / Drive.Fps, 7), 320, 180))
            .Select(r => { r.Image.Dispose(); return r.Truth; }).ToList();
        string[] expectedOrder = ["green traffic light", "tumbleweed", "oncoming car", "red billboard", "stop sign"];
        var firstSeen = expectedOrder.Select(name => truth.FindIndex(t => t.Objects.Any(o => o.Name == name))).ToArray();
        Assert.All(firstSeen, i => Assert.True(i >= 0));
        // They are passed in this order: each leaves the view after the one before it.
        var lastSeen = expectedOrder.Select(name => truth.FindLastIndex(t => t.Objects.Any(o => o.Name == name))).ToArray();
        Assert.Equal(lastSeen.Order(), lastSeen);
        // The red billboard is in view while the label is still go; the stop sign makes the end a stop.
        int billboardFrame = truth.FindIndex(t => t.Objects.Any(o => o.Name == "red billboard" && o.Width > 40));
        Assert.True(billboardFrame > 0);
        Assert.False(truth[billboardFrame].Stop);
        int firstStop = truth.FindIndex(t => t.Stop);
        Assert.True(firstStop > billboardFrame);
        Assert.Contains(truth[firstStop].Objects, o => o.Name == "stop sign" && o.ReasonToStop);
        Assert.True(truth[^1].Stop);
    }
}
