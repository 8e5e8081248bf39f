using GradCam.Models;
using Xunit;

namespace GradCam.Tests.Models;

public class ModelZooTests
{
    [Theory]
    [InlineData("vgg11", "features.18")]
    [InlineData("vgg13", "features.22")]
    [InlineData("vgg16", "features.28")]
    [InlineData("vgg19", "features.34")]
    [InlineData("resnet18", "layer4")]
    [InlineData("resnet34", "layer4")]
    [InlineData("resnet50", "layer4")]
    public void EveryModelHasItsConventionalLayer(string name, string layer)
    {
        using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true });
        Assert.Equal(layer, model.DefaultLayer);
        Assert.Equal(1000, model.Labels.Count);
        Assert.Equal("tench, Tinca tinca", model.Labels[0]);
        Assert.All(model.Module.parameters(), p => Assert.False(p.requires_grad));
        Assert.DoesNotContain(model.Module.modules().OfType<TorchSharp.Modules.ReLU>(), r => r.inplace);
    }

    [Fact]
    public void WithoutWeightsItSaysWhereVgg16WeightsComeFrom()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create(new ModelSpec("vgg16")));
        Assert.Contains("vgg16-397923af.pth", e.Message);
        Assert.Contains("torchvision", e.Message);
    }

    [Fact]
    public void UnknownModelsListTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Create(new ModelSpec("alexnet") { RandomWeights = true }));
        Assert.Contains("unknown model 'alexnet'", e.Message);
        Assert.Contains("resnet50", e.Message);
    }

    [Fact]
    public void TheLoaderTakesZooNamesAndPackagesAndNamesWhatItCannot()
    {
        using (var zoo = new ModelSpec("resnet18") { RandomWeights = true }.Load())
            Assert.Equal("layer4", zoo.DefaultLayer);
        string dir = Directory.CreateTempSubdirectory("gradcam-loader-").FullName;
        try
        {
            string text = Path.Combine(dir, "notes.txt");
            File.WriteAllText(text, "not a model");
            Assert.Contains(text, Assert.Throws<InvalidDataException>(() => new ModelSpec(text).Load()).Message);
            var unknown = Assert.Throws<GradCam.Configuration.SettingException>(() => new ModelSpec("alexnet").Load());
            Assert.Equal("ModelSpec.Name", unknown.Setting);
            Assert.Contains("a zoo name (vgg11", unknown.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RandomWeightsAreReproducibleFromTheSeed()
    {
        using var a = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 9 });
        using var b = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 9 });
        using var c = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 10 });
        Assert.True(Assertions.Same(a.Module.state_dict()["fc.weight"], b.Module.state_dict()["fc.weight"]));
        Assert.True(Assertions.Same(a.Module.state_dict()["layer4.1.conv2.weight"], b.Module.state_dict()["layer4.1.conv2.weight"]));
        Assert.False(Assertions.Same(a.Module.state_dict()["fc.weight"], c.Module.state_dict()["fc.weight"]));
    }
}
