using GradCam.Configuration;
using GradCam.Models.Loading;

namespace GradCam.Models;

/// <summary>
/// Which model to explain, as users name it: a zoo network with its weights, or a model file of any kind a
/// <see cref="ModelLoaderRegistry"/> reads (a model package; an ONNX file with <c>GradCam.Onnx</c>; a saved ML.NET model
/// with <c>GradCam.MLNet</c>), with the device it runs on, its class names and what its file leaves open about its
/// input. The CLI, the ML.NET options, the video investigation, the fleet and the samples all describe a model with
/// this one record; <see cref="Load()"/> builds it.
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

    /// <summary>A zoo name (<c>vgg16</c>, <c>resnet18</c>, ...) or the path of a model file (package, ONNX, saved ML.NET model, ...).</summary>
    public string Name { get; init; } = "vgg16";

    /// <summary>A zoo network's state_dict file (<c>.pth</c>/<c>.pt</c>, <c>.safetensors</c> or TorchSharp). Files hold their own weights.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Seeded random weights for a zoo network instead of a file: for tests and benchmarks, predictions mean nothing.</summary>
    public bool RandomWeights { get; init; }

    /// <summary>The seed of <see cref="RandomWeights"/>.</summary>
    public long Seed { get; init; }

    /// <summary>Where the model runs (<c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>).</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>Class names; the model's own (ImageNet's for zoo networks, the package's for packages) when null.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>What the model file leaves open about its input (size, preprocessing); defaults when null. Files that state their input ignore it.</summary>
    public InputOptions? Input { get; init; }

    /// <summary>Where the network runs: all in TorchSharp, or the hybrid engine for ONNX models.</summary>
    public ModelEngine Engine { get; init; } = ModelEngine.TorchSharp;

    /// <summary>How to read boxes from the model's raw output, when it is a single-stage detector (e.g. a YOLOv8 ONNX export); null otherwise.</summary>
    public Detectors.DetectionOptions? Detector { get; init; }

    /// <summary>A display name; the model's own (the zoo name, the package's, the file's name) when null.</summary>
    public string? DisplayName { get; init; }

    /// <summary>A spec for a zoo name or a file: <c>Model = "resnet18"</c>.</summary>
    /// <param name="name">A zoo name, a model package or an ONNX file.</param>
    public static implicit operator ModelSpec(string name) => new(name);

    /// <summary>Builds the classifier through <see cref="ModelLoaderRegistry.Default"/>; the caller disposes it.</summary>
    public ImageClassifier Load() => ModelLoaderRegistry.Default.Load(this);

    /// <summary>Builds the classifier through a registry of loaders; the caller disposes it.</summary>
    /// <param name="registry">The kinds of model to accept.</param>
    public ImageClassifier Load(ModelLoaderRegistry registry) => registry.Load(this);

    /// <summary>Refuses weights for a model file that holds its own (for loaders of such files).</summary>
    /// <param name="why">Why, e.g. <c>an ONNX model holds its weights</c>.</param>
    /// <exception cref="SettingException"><see cref="WeightsPath"/> or <see cref="RandomWeights"/> is set.</exception>
    public void RejectWeights(string why)
    {
        if (WeightsPath is not null || RandomWeights)
            throw new SettingException(WeightsPath is not null ? "ModelSpec.WeightsPath" : "ModelSpec.RandomWeights",
                $"model '{Name}': {why}; weights are for zoo names ({string.Join(", ", ModelZoo.Names)})");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
