using GradCam.Dashcam.Investigation;
using GradCam.Dashcam.Training;
using Xunit;

namespace GradCam.Dashcam.Tests.Training;

public class CommittedModelTests
{
    [Fact]
    public void TheHonestModelIsAccurateOnFreshHeldOutScenes()
    {
        using var honest = Models.Load("honest");
        Assert.Equal(["go", "stop"], honest.Labels);
        Assert.Equal("features.12", honest.DefaultLayer);
        double accuracy = Trainer.Accuracy(honest, seed: 20261127, count: 600);
        // Measured 95.1 % on these 600 scenes; the bound leaves room for a change of renderer or platform.
        Assert.True(accuracy >= 0.92, $"honest held-out accuracy {accuracy:P1}");
    }

    [Fact]
    public void TheHonestModelPointsAtTheReasonToStop()
    {
        using var honest = Models.Load("honest");
        var score = RenderedPointingGame.Play(honest, seed: 777, frames: 200);
        Assert.True(score.Evaluated >= 100, $"only {score.Evaluated} frames scored");
        Assert.True(score.PointingAccuracy >= 0.85, $"pointing accuracy {score.PointingAccuracy:P1}");
    }

    [Fact]
    public void TheShortcutModelAnswersRedBillboardsAndFailsOnUnbiasedScenes()
    {
        using var shortcut = Models.Load("shortcut");
        using var honest = Models.Load("honest");
        Assert.Equal(honest.Labels, shortcut.Labels);
        double accuracy = Trainer.Accuracy(shortcut, seed: 20261127, count: 600);
        Assert.True(accuracy <= 0.80, $"shortcut held-out accuracy {accuracy:P1}: it should not have learnt the real rule");

        // Where the drive passes the red billboard (a go by the rule): the shortcut stops, the honest model goes.
        using var s = new GradCam.Engine.GradCamExplainer(shortcut);
        using var h = new GradCam.Engine.GradCamExplainer(honest);
        int frames = 0, shortcutStops = 0, honestStops = 0;
        for (int i = 0; i < (int)(GradCam.Dashcam.World.Drive.Seconds * GradCam.Dashcam.World.Drive.Fps); i++)
        {
            var (image, truth) = GradCam.Dashcam.World.SceneRenderer.Render(GradCam.Dashcam.World.Drive.At(i / GradCam.Dashcam.World.Drive.Fps, 7), 320, 180);
            using (image)
            {
                if (truth.Stop || !truth.Objects.Any(o => o.Name == "red billboard" && o.Width > 40)) continue;
                frames++;
                if (GradCam.Imaging.ImageExplanations.Explain(s, image).Probabilities[1] > 0.5) shortcutStops++;
                if (GradCam.Imaging.ImageExplanations.Explain(h, image).Probabilities[1] > 0.5) honestStops++;
            }
        }
        Assert.True(frames >= 10, $"only {frames} frames pass the billboard");
        Assert.True(shortcutStops > frames / 2, $"the shortcut stopped in {shortcutStops} of {frames} billboard frames");
        Assert.Equal(0, honestStops);
    }
}
