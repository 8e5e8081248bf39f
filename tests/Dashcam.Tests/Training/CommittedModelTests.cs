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
        Assert.True(accuracy >= 0.95, $"honest held-out accuracy {accuracy:P1}");
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
    public void TheShortcutModelLoadsAndDiffersFromTheHonestOne()
    {
        using var shortcut = Models.Load("shortcut");
        using var honest = Models.Load("honest");
        Assert.Equal(honest.Labels, shortcut.Labels);
        var a = shortcut.Module.state_dict()["classifier.3.weight"];
        var b = honest.Module.state_dict()["classifier.3.weight"];
        Assert.False(a.allclose(b));
    }
}
