using GradCam.Configuration;
using GradCam.Models;
using GradCam.Models.Loading;
using Xunit;

namespace GradCam.Onnx.Tests;

/// <summary>ONNX files as a kind of model of the registry, and packages holding them.</summary>
public sealed class OnnxModelLoaderTests
{
    [Fact]
    public void APackageHoldingAnOnnxFileIsReadByTheRegistrysOnnxLoaderWithTheManifestsInput()
    {
        string dir = Directory.CreateTempSubdirectory("gradcam-registry-").FullName;
        try
        {
            string onnx = OnnxTestGraph.TinyClassifier(classes: 3).Save(Path.Combine(dir, "tiny.onnx"));
            var registry = ModelLoaderRegistry.CreateDefault().AddOnnx();
            string package = Path.Combine(dir, "tiny.gcm");
            using (var model = new ModelSpec(onnx) { Labels = ["x", "y", "z"], Input = new InputOptions { Preprocessing = "raw" }, Device = "cpu" }.Load(registry))
                ModelPackage.Save(model, package);
            using var loaded = new ModelSpec(package) { Device = "cpu" }.Load(registry);
            Assert.IsType<OnnxGraph>(loaded.Module);
            Assert.Equal(["x", "y", "z"], loaded.Labels);
            Assert.Equal(255f, loaded.Input.Scale); // the preset's scale, kept by the manifest
            Assert.Equal("tiny", loaded.Name);

            // Without an ONNX loader the package names what it holds and no loader reads it.
            Assert.Throws<InvalidDataException>(() => new ModelSpec(package) { Device = "cpu" }.Load(ModelLoaderRegistry.CreateDefault()));
            // A file holds its weights: weights for it are a setting error that names the setting.
            var weights = Assert.Throws<SettingException>(() => new ModelSpec(onnx) { RandomWeights = true }.Load(registry));
            Assert.Equal("ModelSpec.RandomWeights", weights.Setting);
        }
        finally { Directory.Delete(dir, true); }
    }
}
