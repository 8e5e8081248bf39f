using static TorchSharp.torch;

namespace GradCam.Models.Onnx;

/// <summary>
/// How to import an ONNX image classifier: its input size when the file leaves it open, the preprocessing it was
/// trained with (a preset, or explicit mean/std/scale/channel order), its labels and where it runs.
/// </summary>
public sealed record OnnxImportOptions
{
    /// <summary>The input height and width; required when the model's spatial dimensions are dynamic, and must agree with fixed ones.</summary>
    public (int Height, int Width)? InputSize { get; init; }

    /// <summary>A preprocessing preset (see <see cref="InputSpec.FromPreset"/>): <c>imagenet</c> (default), <c>none</c>, <c>raw</c> or <c>caffe</c>.</summary>
    public string Preprocessing { get; init; } = "imagenet";

    /// <summary>Per-channel (R, G, B) mean subtracted after scaling; overrides the preset's.</summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-channel (R, G, B) standard deviation; overrides the preset's.</summary>
    public float[]? Std { get; init; }

    /// <summary>The factor taking pixels from [0, 1] to the model's range (1 or 255); overrides the preset's.</summary>
    public float? Scale { get; init; }

    /// <summary>Whether the network takes B, G, R planes; overrides the preset's.</summary>
    public bool? Bgr { get; init; }

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

    /// <summary>The input specification these options give at a size.</summary>
    /// <exception cref="ArgumentException">An unknown preset or invalid values.</exception>
    public InputSpec ResolveInput(int width, int height)
    {
        var preset = InputSpec.FromPreset(Preprocessing, width, height);
        var spec = preset with
        {
            Mean = Mean ?? preset.Mean,
            Std = Std ?? preset.Std,
            Scale = Scale ?? preset.Scale,
            Bgr = Bgr ?? preset.Bgr,
        };
        spec.Validate();
        return spec;
    }
}
