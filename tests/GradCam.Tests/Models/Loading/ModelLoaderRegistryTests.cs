using GradCam.Configuration;
using GradCam.Models;
using GradCam.Models.Architectures;
using GradCam.Models.Loading;
using GradCam.Onnx;
using Xunit;

namespace GradCam.Tests.Models.Loading;

public sealed class ModelLoaderRegistryTests
{
    /// <summary>A loader of its own kind: files named *.tiny build a small VGG-style network.</summary>
    private sealed class TinyFileLoader : IModelLoader
    {
        public int Loads { get; private set; }

        public string Kind => "tiny";

        public string Description => "a tiny file (.tiny)";

        public bool CanLoad(ModelSpec spec) => spec.Name.EndsWith(".tiny", StringComparison.Ordinal);

        public ImageClassifier Load(ModelSpec spec, ModelLoaderRegistry registry)
        {
            Loads++;
            var config = new VggConfig([4, 0, 8], [16], 3, PoolSize: 2, Dropout: 0);
            return new ImageClassifier(spec.DisplayName ?? "tiny", new Vgg(config), spec.Labels ?? ["a", "b", "c"], "features.3",
                                       new InputSpec(32, 32, [0f, 0f, 0f], [1f, 1f, 1f]), spec.Device.Resolve());
        }
    }

    [Fact]
    public void AnAddedKindLoadsThroughModelSpecAndItsErrorsNameEveryKind()
    {
        var registry = ModelLoaderRegistry.CreateDefault();
        var tiny = new TinyFileLoader();
        registry.Add(tiny);
        using (var model = new ModelSpec("model.tiny") { DisplayName = "mine", Device = "cpu" }.Load(registry))
        {
            Assert.Equal("mine", model.Name);
            Assert.NotNull(model.Architecture); // a Vgg says how to rebuild it (IRebuildableModule)
        }
        Assert.Equal(1, tiny.Loads);
        Assert.Equal(["tiny", "package", "zoo"], registry.Loaders.Select(l => l.Kind));

        var unknown = Assert.Throws<SettingException>(() => new ModelSpec("nowhere.bin").Load(registry));
        Assert.Equal("ModelSpec.Name", unknown.Setting);
        Assert.Contains("a zoo name (vgg11", unknown.Message);
        Assert.Contains("a tiny file (.tiny)", unknown.Message);
        Assert.False(ModelLoaderRegistry.CreateDefault().Contains("tiny")); // registries are apart
    }

    [Theory]
    [InlineData("auto", "auto")]
    [InlineData(" CPU ", "cpu")]
    [InlineData("cuda:1", "cuda:1")]
    public void DeviceNamesAreReadOnce(string text, string name) => Assert.Equal(name, ComputeDevice.Parse(text).Name);

    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:")]
    public void AnUnknownDeviceIsASettingErrorWithoutFlags(string text)
    {
        var e = Assert.Throws<SettingException>(() => ComputeDevice.Parse(text));
        Assert.Equal("ModelSpec.Device", e.Setting);
        Assert.DoesNotContain("--", e.Message);
    }
}
