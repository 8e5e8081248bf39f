using GradCam.Models;
using GradCam.Models.Architectures;
using GradCam.Models.Weights;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Models.Weights;

public class WeightsFileTests : IDisposable
{
    private static readonly VggConfig Tiny = new([8, 0, 16, 0, 16], [32], 5, 2);
    private static readonly VggConfig TinyBn = Tiny with { BatchNorm = true };
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("tiny_vgg.zip.pth", WeightsFormat.PyTorchZip)]
    [InlineData("tiny_vgg.legacy.pth", WeightsFormat.PyTorchLegacy)]
    [InlineData("tiny_vgg.safetensors", WeightsFormat.Safetensors)]
    [InlineData("tiny_vgg.checkpoint.pth", WeightsFormat.PyTorchZip)]
    [InlineData("tiny_vgg.model-checkpoint.pth", WeightsFormat.PyTorchZip)]
    [InlineData("tiny_vgg.rebuild-v1.pth", WeightsFormat.PyTorchLegacy)]
    public void FormatIsDetectedFromContentNotExtension(string file, WeightsFormat expected)
    {
        string renamed = Path.Combine(_dir, "weights.bin");
        File.Copy(PyTorchFixture.PathOf(file), renamed);
        Assert.Equal(expected, WeightsFile.DetectFormat(renamed));
    }

    [Fact]
    public void AllPyTorchFormatsHoldTheSameTensors()
    {
        using var zip = WeightsFile.Read(PyTorchFixture.PathOf("tiny_vgg_bn.zip.pth"));
        using var legacy = WeightsFile.Read(PyTorchFixture.PathOf("tiny_vgg_bn.legacy.pth"));
        using var safetensors = WeightsFile.Read(PyTorchFixture.PathOf("tiny_vgg_bn.safetensors"));
        Assert.Equal(zip.Keys, legacy.Keys);
        Assert.Equal(zip.Keys.Order(), safetensors.Keys.Order());
        Assert.Contains("features.1.num_batches_tracked", zip.Keys);
        Assert.Equal(7L, zip["features.1.num_batches_tracked"].item<long>());
        Assert.Equal(ScalarType.Int64, legacy["features.1.num_batches_tracked"].dtype);
        foreach (var key in zip.Keys)
        {
            Assert.True(Assertions.Same(zip[key], legacy[key]), $"{key} differs in the legacy file");
            Assert.True(Assertions.Same(zip[key], safetensors[key]), $"{key} differs in the safetensors file");
        }
    }

    /// <summary>
    /// Checkpoints nesting the weights under "state_dict" or "model" (torchvision's reference scripts), and a legacy file
    /// whose tensors are rebuilt by PyTorch &lt; 1.0's <c>_rebuild_tensor</c>: all written by PyTorch (make_fixtures.py).
    /// </summary>
    [Theory]
    [InlineData("tiny_vgg.checkpoint.pth")]
    [InlineData("tiny_vgg.model-checkpoint.pth")]
    [InlineData("tiny_vgg.rebuild-v1.pth")]
    public void CheckpointsAndOldPicklesYieldTheSameStateDict(string file)
    {
        using var other = WeightsFile.Read(PyTorchFixture.PathOf(file));
        using var plain = WeightsFile.Read(PyTorchFixture.PathOf("tiny_vgg.zip.pth"));
        Assert.Equal(plain.Keys, other.Keys);
        foreach (var key in plain.Keys) Assert.True(Assertions.Same(plain[key], other[key]), $"{key} differs in {file}");
    }

    [Theory]
    [InlineData(WeightsFormat.PyTorchZip)]
    [InlineData(WeightsFormat.Safetensors)]
    [InlineData(WeightsFormat.TorchSharp)]
    public void EveryWritableFormatRoundTrips(WeightsFormat format)
    {
        using var source = new Vgg(TinyBn);
        using (torch.no_grad())
            foreach (var (name, buffer) in source.named_buffers())
                if (name.EndsWith("running_var")) buffer.uniform_(0.5, 2.0);
        string path = Path.Combine(_dir, "w");
        WeightsFile.Write(source, path, format);
        Assert.Equal(format, WeightsFile.DetectFormat(path));

        using var target = new Vgg(TinyBn); // independently initialised: different until loaded
        source.eval();
        target.eval();
        using var generator = new torch.Generator(13);
        using var x = torch.randn([2, 3, 32, 32], generator: generator);
        using var expected = source.call(x);
        using (var before = target.call(x))
            Assert.False(Assertions.Same(expected, before));
        Assert.Equal(format, target.LoadWeights(path));
        using var actual = target.call(x);
        Assert.True(Assertions.Same(expected, actual));
    }

    [Fact]
    public void Vgg16ClassifierLastLayerReallyLoads()
    {
        string path = Path.Combine(_dir, "vgg16.safetensors");
        using (var source = ModelZoo.Create(new ModelSpec("vgg16") { RandomWeights = true, Seed = 5 }))
            WeightsFile.Write(source.Module, path, WeightsFormat.Safetensors);
        using var loaded = ModelZoo.Create(new ModelSpec("vgg16") { WeightsPath = path });
        using var reference = WeightsFile.Read(path);
        var fc = loaded.Module.state_dict()["classifier.6.weight"];
        Assert.Equal(new long[] { 1000, 4096 }, fc.shape);
        Assert.True(Assertions.Same(fc, reference["classifier.6.weight"]));
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = Path.Combine(_dir, "nope.pth");
        var e = Assert.Throws<FileNotFoundException>(() => WeightsFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("truncated-zip")]
    [InlineData("truncated-legacy")]
    [InlineData("empty")]
    public void CorruptFilesFailWithTheirName(string kind)
    {
        string path = Path.Combine(_dir, kind + ".pth");
        byte[] bytes = kind switch
        {
            "random" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).Prepend((byte)0x80).ToArray(),
            "truncated-zip" => File.ReadAllBytes(PyTorchFixture.PathOf("tiny_vgg.zip.pth"))[..5000],
            "truncated-legacy" => File.ReadAllBytes(PyTorchFixture.PathOf("tiny_vgg.legacy.pth"))[..20000],
            _ => [],
        };
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<Exception>(() => WeightsFile.Read(path));
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void PickledModulesAreRefusedWithAdvice()
    {
        var e = Assert.Throws<InvalidDataException>(() => WeightsFile.Read(PyTorchFixture.PathOf("tiny_vgg.module.pth")));
        Assert.Contains("TinyVgg", e.Message);
        Assert.Contains("state_dict()", e.Message);
    }

    [Fact]
    public void MismatchedWeightsListMissingUnexpectedAndShapes()
    {
        using (var bn = new Vgg(TinyBn))
        {
            var e = Assert.Throws<WeightsMismatchException>(() => bn.LoadWeights(PyTorchFixture.PathOf("tiny_vgg.zip.pth")));
            Assert.Contains("features.1.running_mean", e.Missing);
            Assert.DoesNotContain(e.Missing, k => k.EndsWith("num_batches_tracked"));
            Assert.Contains("missing keys", e.Message);
            Assert.Contains("features.4.weight", e.Unexpected.Concat(e.Missing));
        }
        using (var plain = new Vgg(Tiny with { NumClasses = 7 }))
        {
            var e = Assert.Throws<WeightsMismatchException>(() => plain.LoadWeights(PyTorchFixture.PathOf("tiny_vgg_bn.zip.pth")));
            Assert.Contains("features.1.running_var", e.Unexpected);
            Assert.Contains("unexpected keys", e.Message);
            Assert.Contains("tiny_vgg_bn.zip.pth", e.Message);
        }
        using (var wrongClasses = new Vgg(Tiny with { NumClasses = 7 }))
        {
            var e = Assert.Throws<WeightsMismatchException>(() => wrongClasses.LoadWeights(PyTorchFixture.PathOf("tiny_vgg.zip.pth")));
            Assert.Contains("classifier.3.weight: file [5, 32] vs model [7, 32]", e.ShapeMismatches);
        }
    }
}
