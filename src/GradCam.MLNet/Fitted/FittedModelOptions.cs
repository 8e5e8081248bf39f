using GradCam.Engine;
using GradCam.Models;

namespace GradCam.MLNet;

/// <summary>
/// Options of Grad-CAM for a fitted ML.NET model (<see cref="GradCamCatalog.GradCam(Microsoft.ML.TransformsCatalog, Microsoft.ML.ITransformer, FittedModelOptions)"/>):
/// the model's own columns stay as ML.NET computes them; these name the columns GradCam adds and how it explains.
/// </summary>
public sealed class FittedModelOptions
{
    /// <summary>Output: the heatmap (vector of Single with dimensions [height, width] of the network's input, values in [0, 1]).</summary>
    public string OutputColumnName { get; set; } = "Heatmap";

    /// <summary>Output: the explained class (Int32, the key index minus one: 0 for the first class).</summary>
    public string TargetClassColumnName { get; set; } = "TargetClass";

    /// <summary>Output: why a row could not be explained (text, empty when it was); such rows have NaN heatmaps.</summary>
    public string ErrorColumnName { get; set; } = "GradCamError";

    /// <summary>How heatmaps are computed: method, target layers (ONNX node or output names; the network's last 4-D feature map when empty), fusion and averaging.</summary>
    public ExplainerOptions Explainer { get; set; } = new();

    /// <summary>The class explained for every row: a class index (<c>Target = 2</c>) or a label value (<c>Target = "cat"</c>); the predicted class when null. For binary models, index 1 (or <c>"True"</c>) is the positive class.</summary>
    public ClassTarget? Target { get; set; }

    /// <summary>The heatmap's resolution: the network's input (default) or the layer's own.</summary>
    public HeatmapResolution HeatmapResolution { get; set; } = HeatmapResolution.Input;

    /// <summary>Rows explained per forward pass.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Where the network runs (<c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>
    /// The hybrid engine: a runtime that runs the network up to the target layer (<c>GradCam.OnnxRuntime.OnnxRuntimePrefix.Instance</c>,
    /// ONNX Runtime, as ML.NET itself runs the network); null runs the whole network in TorchSharp. CPU only.
    /// </summary>
    public GradCam.Onnx.IOnnxPrefixRuntime? Prefix { get; set; }
}

/// <summary>A class to explain: by index (from 0, ML.NET's key minus one) or by its label value.</summary>
public sealed record ClassTarget
{
    private ClassTarget(int? index, string? label)
    {
        Index = index;
        Label = label;
    }

    /// <summary>The class index, when given by index.</summary>
    public int? Index { get; }

    /// <summary>The label value, when given by label.</summary>
    public string? Label { get; }

    /// <summary>A class by index.</summary>
    public static implicit operator ClassTarget(int index) => new(index, null);

    /// <summary>A class by label value.</summary>
    public static implicit operator ClassTarget(string label) => new(null, label);

    /// <summary>The index of this class among <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such class; the message lists the labels.</exception>
    public int Resolve(IReadOnlyList<string> labels)
    {
        int index = Index ?? labels.ToList().FindIndex(l => string.Equals(l, Label, StringComparison.Ordinal));
        if (index < 0 || index >= labels.Count)
            throw new ArgumentOutOfRangeException(nameof(FittedModelOptions.Target),
                $"target {(Label is null ? $"index {Index}" : $"'{Label}'")} is not a class of the model; its {labels.Count} classes are {string.Join(", ", labels)}");
        return index;
    }

    /// <inheritdoc />
    public override string ToString() => Label ?? Index!.Value.ToString();
}
