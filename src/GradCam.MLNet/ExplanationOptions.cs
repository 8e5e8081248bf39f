using GradCam.Engine;
using GradCam.Engine.Targets;

namespace GradCam.MLNet;

/// <summary>
/// What both Grad-CAM transformers (<see cref="GradCamOptions"/> for any CNN, <see cref="FittedModelOptions"/> for a
/// fitted ML.NET model) add to each row and how they explain it: the columns they write, the method, the heatmap's
/// resolution and the batch size, declared once.
/// </summary>
public abstract class ExplanationOptions
{
    /// <summary>The default <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 8;

    /// <summary>Output: the normalised heatmap (float vector with dimensions [height, width], values in [0, 1]).</summary>
    public string HeatmapColumnName { get; set; } = "Heatmap";

    /// <summary>Output: the explained class (Int32, from 0: the key index minus one).</summary>
    public string TargetClassColumnName { get; set; } = "TargetClass";

    /// <summary>Output: why a row could not be explained (text, empty when it was). Such rows have NaN scores and heatmaps.</summary>
    public string ErrorColumnName { get; set; } = "GradCamError";

    /// <summary>
    /// What every row's heatmap explains (<see cref="ExplainTarget"/>): the predicted class when null; a class by index
    /// (<c>Target = 2</c>) or label (<c>Target = ExplainTarget.Class("cat")</c>); an output element or a detected box
    /// (<c>Target = "output:steer"</c>, <c>"box:0"</c>). For binary models, class 1 is the positive class.
    /// </summary>
    public ExplainTarget? Target { get; set; }

    /// <summary>
    /// An Int32 or Int64 input column holding each row's class index, which then overrides <see cref="Target"/>; null
    /// (default) reads none. A row whose class is out of range fails alone (its error column says why).
    /// </summary>
    public string? TargetColumnName { get; set; }

    /// <summary>How heatmaps are computed: method, target layers (the model's default when empty; ONNX node or output names), fusion and averaging.</summary>
    public ExplainerOptions Explainer { get; set; } = new();

    /// <summary>The heatmap's resolution: the network's input (default) or the layer's own.</summary>
    public HeatmapResolution HeatmapResolution { get; set; } = HeatmapResolution.Input;

    /// <summary>Rows explained per forward pass when a cursor reads the transformed data.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;
}
