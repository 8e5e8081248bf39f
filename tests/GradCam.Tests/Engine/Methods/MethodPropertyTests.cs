using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Engine.Methods;

/// <summary>What must hold for every method whatever the reference says: batching, averaging and option checks.</summary>
public class MethodPropertyTests
{
    [Fact]
    public void ScoreCamBatchSizeDoesNotChangeTheResult()
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        using var model = fixture.Classifier();
        using var input = fixture.Input();
        Explanation[] Run(int batch)
        {
            using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.ScoreCam, ScoreCamBatchSize = batch });
            var reports = new List<(int, int)>();
            explainer.Progress = new SyncProgress(reports);
            var result = explainer.Explain(input).ToArray();
            // Progress counts every masked image (2 images x 16 channels), rising after each pass; blank masks count at once.
            Assert.Equal((32, 32), reports[^1]);
            Assert.True(reports.Zip(reports.Skip(1), (a, b) => b.Item1 > a.Item1).All(up => up));
            Assert.True(reports.Count >= (int)Math.Ceiling(16.0 / batch) * 2 / 2);
            return result;
        }
        var one = Run(1);
        foreach (int batch in new[] { 5, 16, 64 })
        {
            var other = Run(batch);
            for (int i = 0; i < one.Length; i++) Assertions.Close(one[i].Cam.Data, other[i].Cam.Data, 1e-5, what: $"batch {batch}");
        }
    }

    [Theory]
    [InlineData(CamMethod.GradCamPlusPlus)]
    [InlineData(CamMethod.LayerCam)]
    [InlineData(CamMethod.GuidedGradCam)]
    public void NoiseAveragingWithoutNoiseIsThePlainMethod(CamMethod method)
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        using var model = fixture.Classifier();
        using var input = fixture.Input();
        using var plain = new GradCamExplainer(model, new ExplainerOptions { Method = method });
        using var silent = new GradCamExplainer(model, new ExplainerOptions { Method = method, SmoothSamples = 4, SmoothNoise = 0 });
        var a = plain.Explain(input);
        var b = silent.Explain(input);
        for (int i = 0; i < a.Count; i++)
        {
            Assertions.Close(a[i].Cam.Data, b[i].Cam.Data, 1e-5);
            Assert.Equal(a[i].Probabilities, b[i].Probabilities);
        }
    }

    [Fact]
    public void NoiseAveragingIsSeededAndPerImage()
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        using var model = fixture.Classifier();
        using var input = fixture.Input();
        var options = new ExplainerOptions { Method = CamMethod.GradCam, SmoothSamples = 8, SmoothNoise = 0.2 };
        using var smooth = new GradCamExplainer(model, options);
        using var plain = new GradCamExplainer(model);
        var batch = smooth.Explain(input);
        var again = smooth.Explain(input);
        using var second = input[1..2];
        var alone = smooth.Explain(second)[0];
        var unsmoothed = plain.Explain(input);

        Assert.Equal(batch[1].Cam.Data, again[1].Cam.Data);                  // same seed, same map
        Assertions.Close(batch[1].Cam.Data, alone.Cam.Data, 1e-5);           // independent of the other images
        Assert.Equal(unsmoothed[1].Probabilities, batch[1].Probabilities);   // predictions are the clean image's
        double diff = batch[1].Heatmap.Data.Zip(unsmoothed[1].Heatmap.Data, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(diff > 1e-3, $"noise should change the map (max difference {diff})");
        using var other = new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.GradCam, SmoothSamples = 8, SmoothNoise = 0.2, Seed = 99 });
        Assert.NotEqual(batch[1].Cam.Data, other.Explain(input)[1].Cam.Data);
    }

    [Theory]
    [InlineData(CamMethod.GradCam)]
    [InlineData(CamMethod.EigenCam)]
    [InlineData(CamMethod.GuidedBackprop)]
    public void FlipAveragingOfAMirrorSymmetricImageIsSymmetric(CamMethod method)
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        using var model = fixture.Classifier();
        using var raw = fixture.Input();
        using var symmetric = (raw[..1] + raw[..1].flip(3)) / 2;
        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = method, FlipAveraging = true });
        var cam = explainer.Explain(symmetric)[0].Cam;
        var mirrored = new float[cam.Data.Length];
        for (int y = 0; y < cam.Height; y++)
            for (int x = 0; x < cam.Width; x++) mirrored[y * cam.Width + x] = cam[y, cam.Width - 1 - x];
        Assert.True(cam.Max > 0);
        Assertions.Close(cam.Data, mirrored, 1e-5);
    }

    [Fact]
    public void GuidedBackpropGuidesEveryReluOfAResNet()
    {
        using var model = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 3 });
        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.GuidedBackprop });
        using var x = torch.randn([1, 3, 64, 64], generator: new torch.Generator(5));
        var e = explainer.Explain(x)[0];
        Assert.Equal((64, 64), (e.Cam.Height, e.Cam.Width));
        Assert.True(e.Cam.Max > 0);
        // 9 ReLU modules and 8 residual blocks whose last ReLU is functional.
        using var hooks = new GuidedReluHooks(model.Module);
        Assert.Equal(17, hooks.Count);
    }

    [Fact]
    public void OptionsAreCheckedWithClearMessages()
    {
        var fixture = PyTorchFixture.Load("tiny_vgg");
        using var model = fixture.Classifier();
        var e = Assert.Throws<ArgumentException>(() => new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.EigenCam, SmoothSamples = 4 }));
        Assert.Contains("eigencam uses no gradients", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GradCamExplainer(model, new ExplainerOptions { Layers = ["features.4", "features.99"] }));
        Assert.Contains("unknown layer 'features.99'", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.ScoreCam, ScoreCamBatchSize = -1 }));
        Assert.Contains("ScoreCamBatchSize", e.Message);
        e = Assert.Throws<ArgumentException>(() => CamMethods.Parse("gradcam+++"));
        Assert.Contains("gradcam++", e.Message);
        foreach (var name in CamMethods.Names) Assert.Equal(name, CamMethods.Get(CamMethods.Parse(name)).Name);
    }

    private sealed class SyncProgress(List<(int, int)> reports) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => reports.Add(value);
    }
}
