using System.Text.Json.Serialization;
using GradCam.Models.Onnx;

namespace GradCam.Models;

/// <summary>
/// Which model to explain, as users name it: a zoo network with its weights, a model package, or an ONNX file, with
/// the device it runs on and its class names. The CLI, the ML.NET options and the samples all describe a model with
/// this one record; <see cref="ModelLoader.Load(ModelSpec)"/> builds it.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>A spec for the default zoo network (<c>vgg16</c>; it needs <see cref="WeightsPath"/>).</summary>
    public ModelSpec()
    {
    }

    /// <summary>A spec for a zoo name or a file.</summary>
    /// <param name="name">A zoo name (<c>vgg16</c>, <c>resnet18</c>, ...), a model package, or an ONNX file.</param>
    public ModelSpec(string name) => Name = name;

    /// <summary>A zoo name (<c>vgg16</c>, <c>resnet18</c>, ...), the path of a model package, or an ONNX file (<c>model.onnx</c>).</summary>
    public string Name { get; init; } = "vgg16";

    /// <summary>A zoo network's state_dict file (<c>.pth</c>/<c>.pt</c>, <c>.safetensors</c> or TorchSharp). Files hold their own weights.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Seeded random weights for a zoo network instead of a file: for tests and benchmarks, predictions mean nothing.</summary>
    public bool RandomWeights { get; init; }

    /// <summary>The seed of <see cref="RandomWeights"/>.</summary>
    public long Seed { get; init; }

    /// <summary><c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Class names; the model's own (ImageNet's for zoo networks, the package's for packages) when null.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>How to import an ONNX file: input size and preprocessing (its device and labels come from this spec).</summary>
    public OnnxImportOptions? Onnx { get; init; }

    /// <summary>A spec for a zoo name or a file: <c>Model = "resnet18"</c>.</summary>
    /// <param name="name">A zoo name, a model package or an ONNX file.</param>
    public static implicit operator ModelSpec(string name) => new(name);

    /// <summary>Builds the classifier (see <see cref="ModelLoader.Load(ModelSpec)"/>); the caller disposes it.</summary>
    public ImageClassifier Load() => ModelLoader.Load(this);

    /// <summary>The options <see cref="ModelZoo.Create"/> takes for this spec.</summary>
    [JsonIgnore]
    public ZooModelOptions ZooOptions => new()
    {
        WeightsPath = WeightsPath,
        RandomWeights = RandomWeights,
        Seed = Seed,
        Device = DeviceSelector.Resolve(Device),
        Labels = Labels,
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}
