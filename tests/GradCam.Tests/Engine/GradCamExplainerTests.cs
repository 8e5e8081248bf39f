using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Engine;

/// <summary>VGG16 and ResNet18 with fixed random weights: our engine against the naive full-backward reference.</summary>
public class GradCamExplainerTests : IClassFixture<GradCamExplainerTests.Vgg16Fixture>
{
    public sealed class Vgg16Fixture : IDisposable
    {
        public ImageClassifier Model { get; } = ModelZoo.Create(new ModelSpec("vgg16") { RandomWeights = true, Seed = 42 });
        public Tensor Batch { get; }

        public Vgg16Fixture()
        {
            using var generator = new torch.Generator(7); // a private generator: parallel tests cannot shift it
            Batch = torch.randn([3, 3, 224, 224], generator: generator);
        }

        public void Dispose()
        {
            Batch.Dispose();
            Model.Dispose();
        }
    }

    private readonly Vgg16Fixture _f;

    public GradCamExplainerTests(Vgg16Fixture f) => _f = f;

    [Fact]
    public void Vgg16DefaultsToTheLastConvAndItsOutputBeforeReLU()
    {
        Assert.Equal("features.28", _f.Model.DefaultLayer);
        using var explainer = new GradCamExplainer(_f.Model);
        using var one = _f.Batch[..1];
        var e = explainer.Explain(one)[0];
        Assert.Equal(14, e.Cam.Height);
        Assert.Equal(14, e.Cam.Width);
        Assert.Equal(224, e.Heatmap.Height);
        Assert.Equal(224, e.Heatmap.Width);
        Assert.Equal(1f, e.Heatmap.Max, 5);
        Assert.Equal(0f, e.Heatmap.Min, 5);
        Assert.Equal(1000, e.Probabilities.Length);
        Assert.Equal(1f, e.Probabilities.Sum(), 3);
        Assert.Equal(5, e.TopK.Count);
        Assert.Equal(e.TopK[0].Index, e.TargetClass);
        Assert.Equal(_f.Model.Labels[e.TargetClass], e.TargetLabel);
    }

    [Fact]
    public void Vgg16CamEqualsTheNaiveFullBackwardImplementation()
    {
        using var explainer = new GradCamExplainer(_f.Model);
        // Top-1 for two items (their maps have positive evidence), a fixed class for the third.
        var top1 = explainer.Explain(_f.Batch).Select(e => e.TargetClass).ToArray();
        int[] targets = [top1[0], 500, top1[2]];
        var ours = explainer.Explain(_f.Batch, targets.Select(t => (ExplainTarget?)t).ToArray());
        var naive = ReferenceGradCam.Compute(_f.Model, "features.28", _f.Batch, targets);
        for (int i = 0; i < targets.Length; i++)
        {
            Assert.Equal(targets[i], ours[i].TargetClass);
            Assertions.Close(naive[i].Data, ours[i].Cam.Data, 1e-5, what: $"item {i} cam");
        }
        Assert.Contains(naive[0].Data, v => v > 0);
        Assert.Contains(naive[2].Data, v => v > 0);
    }

    [Fact]
    public void BatchItemsEqualTheSameImagesExplainedAlone()
    {
        using var explainer = new GradCamExplainer(_f.Model);
        ExplainTarget?[] targets = [null, 17, null];
        var batch = explainer.Explain(_f.Batch, targets);
        for (int i = 0; i < 3; i++)
        {
            using var single = _f.Batch[i..(i + 1)];
            var alone = explainer.Explain(single, [targets[i]])[0];
            Assert.Equal(alone.TargetClass, batch[i].TargetClass);
            Assertions.Close(alone.Cam.Data, batch[i].Cam.Data, 1e-5, what: $"item {i} cam");
            Assertions.Close(alone.Heatmap.Data, batch[i].Heatmap.Data, 1e-5, 1e-6, what: $"item {i} heatmap");
            Assertions.Close(alone.Probabilities, batch[i].Probabilities, 1e-5, what: $"item {i} probabilities");
        }
        Assert.Equal(17, batch[1].TargetClass);
        Assert.Equal(batch[0].TopK[0].Index, batch[0].TargetClass);
    }

    [Fact]
    public void DifferentTargetsGiveDifferentMaps()
    {
        using var explainer = new GradCamExplainer(_f.Model);
        using var one = _f.Batch[..1];
        var top = explainer.Explain(one)[0];
        var other = explainer.Explain(one, [(top.TargetClass + 500) % 1000])[0];
        Assert.Contains(top.Cam.Data, v => v > 0);
        Assert.True(top.Cam.Data.Zip(other.Cam.Data).Any(p => Math.Abs(p.First - p.Second) > 1e-6 * top.Cam.Max));
    }

    [Fact]
    public void OutOfRangeTargetIsRejectedWithTheClassCount()
    {
        using var explainer = new GradCamExplainer(_f.Model);
        using var one = _f.Batch[..1];
        var e = Assert.Throws<ArgumentException>(() => explainer.Explain(one, [1000]));
        Assert.Equal("target class 1000 is out of range: vgg16 has 1000 classes (0..999)", e.Message);
    }

    [Fact]
    public void AnyLayerByNameWorksAndUnknownLayersListTheValidOnes()
    {
        using (var explainer = new GradCamExplainer(_f.Model, "features.21"))
        {
            using var one = _f.Batch[..1];
            var e = explainer.Explain(one)[0];
            Assert.Equal(28, e.Cam.Height);
        }
        var error = Assert.Throws<ArgumentException>(() => new GradCamExplainer(_f.Model, "features.99"));
        Assert.Contains("unknown layer 'features.99'", error.Message);
        Assert.Contains("features.28", error.Message);
        Assert.Contains("classifier.6", error.Message);
    }

    [Fact]
    public void ResNet18ExplainsLayer4AndMatchesTheReference()
    {
        using var model = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 3 });
        Assert.Equal("layer4", model.DefaultLayer);
        using var explainer = new GradCamExplainer(model);
        using var two = _f.Batch[..2];
        var ours = explainer.Explain(two, [5, 700]);
        var naive = ReferenceGradCam.Compute(model, "layer4", two, [5, 700]);
        Assert.Equal(7, ours[0].Cam.Height);
        for (int i = 0; i < 2; i++)
            Assertions.Close(naive[i].Data, ours[i].Cam.Data, 1e-5, what: $"item {i} cam");
    }
}
