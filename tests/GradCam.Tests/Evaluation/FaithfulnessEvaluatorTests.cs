using System.Text.Json;
using GradCam.Engine;
using GradCam.Evaluation;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Tests.Evaluation;

public class FaithfulnessEvaluatorTests
{
    /// <summary>
    /// Against the pixel-by-pixel PyTorch reference: the tiny net as it is (a flat softmax: the curves move by a
    /// thousandth) and with its last layer sharpened a hundredfold, at the evaluator's default blur (the curves move by
    /// tenths, so matching them means something).
    /// </summary>
    [Theory]
    [InlineData("tiny_vgg.faithfulness.expected.json")]
    [InlineData("tiny_vgg.faithfulness.peaked.expected.json")]
    public void CurvesMatchAPixelByPixelPyTorchReference(string file)
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        var expected = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf(file))).RootElement;
        using var model = fixture.Classifier();
        float sharpen = (float)expected.GetProperty("sharpen").GetDouble();
        var last = model.Module.modules().OfType<TorchSharp.Modules.Linear>().Last();
        using (torch.no_grad())
        {
            last.weight!.mul_(sharpen);
            last.bias!.mul_(sharpen);
        }
        if (sharpen > 1)
        {
            Assert.Equal(new FaithfulnessOptions().BlurSigma, expected.GetProperty("blurSigma").GetDouble()); // the default blur
            var deletion = Doubles(expected.GetProperty("items")[0], "deletion");
            Assert.True(deletion.Max() - deletion.Min() > 0.1, "the peaked fixture's curve hardly moves");
        }
        var evaluator = new FaithfulnessEvaluator(model, new FaithfulnessOptions
        {
            Steps = expected.GetProperty("steps").GetInt32(),
            BlurSigma = expected.GetProperty("blurSigma").GetDouble(),
            BatchSize = 5, // not a divisor of the 19 images: chunking must not matter
        });
        using var input = fixture.Input();
        for (int i = 0; i < 2; i++)
        {
            var item = expected.GetProperty("items")[i];
            var heat = new CamMap(fixture.InputSize, fixture.InputSize, PyTorchFixture.Floats(item.GetProperty("heatmap")));
            var score = evaluator.Evaluate(input[i], heat, item.GetProperty("target").GetInt32());
            Assert.Equal(item.GetProperty("probability").GetDouble(), score.Probability, 5);
            Assertions.Close(Doubles(item, "deletion"), score.DeletionCurve.Select(v => (float)v).ToArray(), 1e-4, what: "deletion");
            Assertions.Close(Doubles(item, "insertion"), score.InsertionCurve.Select(v => (float)v).ToArray(), 1e-4, what: "insertion");
            Assert.Equal(item.GetProperty("explanationMap").GetDouble(), score.ExplanationMapProbability, 5);
        }
    }

    /// <summary>
    /// A model whose class 0 looks only at the image's top-left quadrant: logit 0 = 8 x its mean red, logit 1 = 0.
    /// A heatmap on that quadrant must delete the evidence first and insert it first; one on the opposite quadrant last.
    /// </summary>
    [Fact]
    public void AHeatmapOnTheEvidenceScoresBetterThanOneBesideIt()
    {
        var pool = AdaptiveAvgPool2d(2);
        var fc = Linear(12, 2);
        using (torch.no_grad())
        {
            fc.weight!.zero_();
            fc.bias!.zero_();
            fc.weight![0, 0] = torch.tensor(8f); // red channel, top-left cell
        }
        using var model = new ImageClassifier("quadrant", Sequential(("pool", pool), ("flatten", Flatten()), ("fc", fc)), ["left", "none"], "pool",
                                              new InputSpec(8, 8, [0f, 0f, 0f], [1f, 1f, 1f]));
        using var image = torch.ones(3, 8, 8);
        float[] Quadrant(bool topLeft) => Enumerable.Range(0, 64).Select(p => (p / 8 < 4 && p % 8 < 4) == topLeft ? 1f : 0f).ToArray();
        var evaluator = new FaithfulnessEvaluator(model, new FaithfulnessOptions { Steps = 4, BlurSigma = 1 });
        var good = evaluator.Evaluate(image, new CamMap(8, 8, Quadrant(true)), 0);
        var bad = evaluator.Evaluate(image, new CamMap(8, 8, Quadrant(false)), 0);

        double full = 1 / (1 + Math.Exp(-8)), none = 0.5;
        Assert.Equal(full, good.Probability, 5);
        Assert.Equal(none, good.DeletionCurve[1], 5);  // a quarter deleted: the whole quadrant is gone
        Assert.Equal(full, bad.DeletionCurve[3], 5);   // three quarters deleted, the quadrant last: still there
        Assert.Equal(full, good.InsertionCurve[1], 5); // the quadrant inserted first
        Assert.True(good.DeletionAuc < bad.DeletionAuc);
        Assert.True(good.InsertionAuc > bad.InsertionAuc);
        Assert.Equal(full, good.ExplanationMapProbability, 5); // the map keeps exactly the evidence
        Assert.Equal(0, good.Drop, 6);
        Assert.Equal(none, bad.ExplanationMapProbability, 5);
        Assert.Equal((full - none) / full, bad.Drop, 5);
        Assert.False(bad.Increase);
    }

    [Fact]
    public void AreasAndSummariesAreComputedAsDefined()
    {
        Assert.Equal(0.5, FaithfulnessScore.Auc([0, 0.5, 1]), 10);
        Assert.Equal(0.375, FaithfulnessScore.Auc([1, 0.25, 0]), 10);
        var a = new FaithfulnessScore(0, 0.8, [0.8, 0.2, 0.0], [0.1, 0.5, 0.8], 0.4);
        var b = new FaithfulnessScore(0, 0.5, [0.5, 0.1, 0.0], [0.2, 0.4, 0.5], 0.6);
        var s = FaithfulnessSummary.Of([a, b]);
        Assert.Equal(2, s.Images);
        Assert.Equal(100 * (0.5 + 0) / 2, s.AverageDropPercent, 10); // a drops by half, b rises
        Assert.Equal(50, s.IncreaseInConfidencePercent, 10);
        Assert.Equal([0.65, 0.15, 0.0], s.DeletionCurve.Select(v => Math.Round(v, 10)));
        Assert.Equal((a.DeletionAuc + b.DeletionAuc) / 2, s.DeletionAuc, 10);
    }

    [Fact]
    public void PointingGameUsesTheScaledTolerance()
    {
        var heat = new CamMap(2, 2, [0, 0, 0, 1]); // peak in the bottom-right cell: (336, 252) in a 448x336 image
        Assert.Equal(30, PointingGame.Tolerance(448), 10);
        Assert.True(PointingGame.Hit(heat, [new PixelBox(300, 200, 40, 40)], 448, 336));
        Assert.True(PointingGame.Hit(heat, [new PixelBox(0, 0, 10, 10), new PixelBox(360, 252, 10, 10)], 448, 336)); // 24 px away
        Assert.False(PointingGame.Hit(heat, [new PixelBox(0, 0, 100, 100)], 448, 336));
    }

    [Fact]
    public void AHeatmapOfAnotherSizeIsRefused()
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        using var model = fixture.Classifier();
        using var input = fixture.Input();
        var e = Assert.Throws<ArgumentException>(() => new FaithfulnessEvaluator(model).Evaluate(input[0], new CamMap(8, 8, new float[64]), 0));
        Assert.Contains("8x8", e.Message);
    }

    private static float[] Doubles(JsonElement item, string name) => item.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
}
