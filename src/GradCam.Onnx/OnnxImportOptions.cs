using GradCam.Models;
using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// How to import an ONNX image classifier: its input (size and preprocessing, see <see cref="InputOptions"/>), its
/// labels and where it runs. Loading through <see cref="ModelSpec"/> fills these from the spec.
/// </summary>
public sealed record OnnxImportOptions : InputOptions
{
    /// <summary>Defaults: ImageNet preprocessing, the file's own size, the CPU.</summary>
    public OnnxImportOptions()
    {
    }

    /// <summary>Import options with these input settings (the record's own copy of every <see cref="InputOptions"/> field).</summary>
    /// <param name="input">The input settings.</param>
    public OnnxImportOptions(InputOptions input) : base(input)
    {
    }

    /// <summary>Class names; ImageNet's when the model has 1000 classes, else <c>class N</c>.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>A display name; the file's name when null.</summary>
    public string? Name { get; init; }

    /// <summary>Where the model runs; the CPU when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Device? Device { get; init; }

    /// <summary>
    /// The hybrid engine: another runtime that runs the graph up to the target layer, where no gradient is needed
    /// (<c>GradCam.OnnxRuntime.OnnxRuntimePrefix.Instance</c> for ONNX Runtime); null runs everything in TorchSharp.
    /// CPU only. Methods that need gradients below the target layer (Guided Backpropagation) run the whole graph in
    /// TorchSharp.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IOnnxPrefixRuntime? Prefix { get; init; }
}
