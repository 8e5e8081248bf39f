using GradCam.Dashcam.Training;
using GradCam.Dashcam.World;
using Xunit;

namespace GradCam.Dashcam.Tests.Training;

/// <summary>`dashcam train` as the README describes it, in small: three short epochs already learn the stop rule well above chance.</summary>
public class TrainerTests
{
    [Fact]
    public void ThreeShortEpochsLearnTheStopRuleWellAboveChance()
    {
        using var model = Trainer.Train(new Trainer.Options(DatasetBias.None, Seed: 5, Epochs: 3, ScenesPerEpoch: 1000), TextWriter.Null);
        Assert.Equal(["go", "stop"], model.Labels);
        double accuracy = Trainer.Accuracy(model, seed: 99, count: 300);
        Assert.True(accuracy > 0.70, $"held-out accuracy after three short epochs: {accuracy:P1}");
    }
}
