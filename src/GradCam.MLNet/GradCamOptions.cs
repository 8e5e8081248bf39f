using System.Text.Json.Serialization;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;
using GradCam.Onnx;

namespace GradCam.MLNet;

/// <summary>Which class each row's heatmap explains.</summary>
public enum TargetClassPolicy
{
    /// <summary>The row's most probable class.</summary>
    TopPrediction,

    /// <summary>The same class for every row: <see cref="GradCamOptions.TargetClass"/>.</summary>
    Fixed,

    /// <summary>A per-row class read from the integer column <see cref="GradCamOptions.TargetClassInputColumnName"/>.</summary>
    FromColumn,
}

/// <summary>The resolution of the heatmap column.</summary>
public enum HeatmapResolution
{
    /// <summary>The model's input size (224x224 for ImageNet models): the CAM upsampled bilinearly.</summary>
    Input,

    /// <summary>The target layer's own resolution (14x14 for vgg16's features.28), min-max normalised.</summary>
    Layer,
}

/// <summary>How a float-vector input column encodes pixels (as <c>ExtractPixels</c> writes them).</summary>
public enum PixelChannelOrder
{
    /// <summary>Red, green, blue: <c>ExtractPixels</c>' default (<c>ColorsOrder.ARGB</c> without alpha).</summary>
    Rgb,

    /// <summary>Blue, green, red (e.g. <c>orderOfExtraction: ColorsOrder.ABGR</c>).</summary>
    Bgr,
}

/// <summary>Options of the Grad-CAM estimator (<see cref="GradCamCatalog.GradCam(Microsoft.ML.TransformsCatalog, GradCamOptions)"/>).</summary>
public sealed class GradCamOptions
{
    /// <summary>The input column: an image (<c>ImageDataViewType</c>/<c>MLImage</c>, any size) or a float vector of 3xHxW pixels.</summary>
    public string InputColumnName { get; set; } = "Image";

    /// <summary>Output: the predicted class name (text); null adds no such column.</summary>
    public string? PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Output: softmax probabilities of every class (float vector whose slot names are the labels); null adds no such column.</summary>
    public string? ScoreColumnName { get; set; } = "Score";

    /// <summary>Output: the normalised heatmap (float vector with dimensions [height, width], values in [0, 1]).</summary>
    public string HeatmapColumnName { get; set; } = "Heatmap";

    /// <summary>Output: the explained class index (int).</summary>
    public string TargetClassColumnName { get; set; } = "TargetClass";

    /// <summary>Output: why a row could not be explained (text, empty when it was). Such rows have NaN scores and heatmaps.</summary>
    public string ErrorColumnName { get; set; } = "GradCamError";

    /// <summary>
    /// The model: a zoo name with its weights, a model package or an ONNX file, with its device and labels
    /// (<c>Model = "model.onnx"</c> or <c>Model = new ModelSpec("resnet18") { WeightsPath = "resnet18.pth" }</c>).
    /// Ignored, but for its labels, when <see cref="Classifier"/> is set.
    /// </summary>
    public ModelSpec Model { get; set; } = new();

    /// <summary>An already built model to explain (e.g. <c>new ImageClassifier(..., myTorchSharpModule, ...)</c>).
    /// The transformer does not dispose it, and it is not part of saved options.</summary>
    [JsonIgnore]
    public ImageClassifier? Classifier { get; set; }

    /// <summary>How heatmaps are computed: method, target layers (the model's default when empty), fusion and averaging.</summary>
    public ExplainerOptions Explainer { get; set; } = new();

    /// <summary>Which class each heatmap explains.</summary>
    public TargetClassPolicy TargetClassPolicy { get; set; } = TargetClassPolicy.TopPrediction;

    /// <summary>The class explained for every row with <see cref="TargetClassPolicy.Fixed"/>.</summary>
    public int TargetClass { get; set; }

    /// <summary>The integer column holding each row's class with <see cref="TargetClassPolicy.FromColumn"/>.</summary>
    public string TargetClassInputColumnName { get; set; } = "Target";

    /// <summary>The heatmap column's resolution.</summary>
    public HeatmapResolution HeatmapResolution { get; set; } = HeatmapResolution.Input;

    /// <summary>Rows explained per forward pass when a cursor reads the transformed data.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Float-vector input only: the channel order of the planes.</summary>
    public PixelChannelOrder VectorChannelOrder { get; set; } = PixelChannelOrder.Rgb;

    /// <summary>Float-vector input only: whether pixels are interleaved (HxWx3) rather than planar (3xHxW, ExtractPixels' default).</summary>
    public bool VectorInterleaved { get; set; }

    /// <summary>Float-vector input only: the factor that brings values to [0, 1] (1/255 for ExtractPixels' default 0..255 output).</summary>
    public float VectorScale { get; set; } = 1f / 255f;

    /// <summary>Float-vector input only: image height when the column's vector type carries no dimensions.</summary>
    public int? VectorHeight { get; set; }

    /// <summary>Float-vector input only: image width when the column's vector type carries no dimensions.</summary>
    public int? VectorWidth { get; set; }

    internal GradCamOptions Clone()
    {
        var copy = (GradCamOptions)MemberwiseClone();
        copy.Explainer = Explainer.Clone();
        return copy;
    }
}
