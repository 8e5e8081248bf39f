using System.Text.Json;
using GradCam.Engine;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Models;

/// <summary>
/// The zoo against torchvision itself (Fixtures/make_zoo_fixtures.py): every network's state_dict has torchvision's
/// keys, in its order, with its shapes (so torchvision's published .pth files load by name); and vgg16 and resnet18,
/// every tensor filled by the same integer hash in both languages (no weights file to commit), give PyTorch's logits, top-1 class and Grad-CAM.
/// </summary>
[Collection(SerialCollection.Name)] // vgg16 holds 0.5 GB of weights
public class ZooParityTests
{
    private static readonly JsonElement Keys = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf("zoo.keys.expected.json"))).RootElement.GetProperty("models");
    private static readonly JsonElement Parity = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf("zoo.parity.expected.json"))).RootElement;

    public static TheoryData<string> Names() => new(ModelZoo.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryZooNetworkHasTorchvisionsKeysAndShapes(string name)
    {
        Assert.True(Keys.TryGetProperty(name, out var expected), $"{name} is in the zoo but not in zoo.keys.expected.json: add it to make_zoo_fixtures.py");
        using var module = ModelZoo.Build(name);
        var ours = module.state_dict().Select(kv => (kv.Key, Shape: kv.Value.shape)).ToList();
        var theirs = expected.EnumerateArray().Select(e => (Key: e[0].GetString()!, Shape: e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToList();
        // The same names (TorchSharp lists a module's buffers before its parameters; files are read and written by name).
        Assert.Equal(theirs.Select(t => t.Key).Order(StringComparer.Ordinal), ours.Select(o => o.Key).Order(StringComparer.Ordinal));
        var shapes = ours.ToDictionary(o => o.Key, o => o.Shape);
        foreach (var t in theirs) Assert.True(t.Shape.SequenceEqual(shapes[t.Key]), $"{name} {t.Key}: torchvision [{string.Join(",", t.Shape)}], ours [{string.Join(",", shapes[t.Key])}]");
    }

    [Theory]
    [InlineData("vgg16")]
    [InlineData("resnet18")]
    public void LogitsAndGradCamEqualPyTorchWithTheSameWeights(string name)
    {
        var expected = Parity.GetProperty("models").GetProperty(name);
        int size = expected.GetProperty("inputSize").GetInt32();
        using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true });
        var order = Keys.GetProperty(name).EnumerateArray().Select(e => e[0].GetString()!).ToList(); // t counts in torchvision's order
        var state = model.Module.state_dict();
        using (torch.no_grad())
            for (int t = 0; t < order.Count; t++)
                state[order[t]].copy_(Formula(order[t], state[order[t]].shape, t));
        Assert.Equal(expected.GetProperty("layer").GetString(), model.DefaultLayer);
        using var input = FormulaInput(size);

        using (torch.no_grad())
        {
            using var logits = model.Module.call(input);
            Assertions.Close(PyTorchFixture.Floats(expected.GetProperty("logits")), logits.data<float>().ToArray(), 1e-4, what: $"{name} logits");
        }
        using var explainer = new GradCamExplainer(model, new ExplainerOptions());
        var explanation = explainer.Explain(input)[0];
        Assert.Equal(expected.GetProperty("top1").GetInt32(), explanation.TargetClass);
        var shape = expected.GetProperty("shape");
        Assert.Equal((shape[0].GetInt32(), shape[1].GetInt32()), (explanation.Cam.Height, explanation.Cam.Width));
        var cam = PyTorchFixture.Floats(expected.GetProperty("cam"));
        Assert.Contains(cam, v => v > 0);
        Assertions.Close(cam, explanation.Cam.Data, 1e-4, what: $"{name} Grad-CAM");
    }

    /// <summary>make_zoo_fixtures.py's formula: u = splitmix64(n + t * golden) / 2^64, s = 2u - 1, scaled by what the tensor is.</summary>
    private static Tensor Formula(string key, long[] shape, int t)
    {
        long numel = shape.Aggregate(1L, (a, b) => a * b);
        if (key.EndsWith("num_batches_tracked")) return torch.zeros(shape, ScalarType.Int64);
        Func<double, double> scale = key.EndsWith("running_var") ? s => 1.0 + 0.25 * s * s
            : key.EndsWith("running_mean") ? s => 0.1 * s
            : key.EndsWith("bias") ? s => 0.05 * s
            : shape.Length == 1 ? s => 1.0 + 0.1 * s
            : s => Math.Sqrt(6.0 / (numel / shape[0])) * s;
        var values = new float[numel];
        unchecked
        {
            for (long n = 0; n < numel; n++)
            {
                ulong x = (ulong)n + (ulong)t * 0x9E3779B97F4A7C15UL;
                x ^= x >> 30;
                x *= 0xBF58476D1CE4E5B9UL;
                x ^= x >> 27;
                x *= 0x94D049BB133111EBUL;
                x ^= x >> 31;
                values[n] = (float)scale(2.0 * (x >> 11) / 9007199254740992.0 - 1.0);
            }
        }
        return torch.tensor(values, shape);
    }

    private static Tensor FormulaInput(int size)
    {
        var values = new float[3 * size * size];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    values[(c * size + y) * size + x] = (float)Math.Sin(0.05 * (x + 2 * y) + c);
        return torch.tensor(values, [1, 3, size, size]);
    }
}
