using System.Text.Json.Serialization;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;
using GradCam.Onnx;

namespace GradCam.MLNet;

/// <summary>Options of the Grad-CAM estimator (<see cref="GradCamCatalog.GradCam(Microsoft.ML.TransformsCatalog, GradCamOptions)"/>).</summary>
public sealed class GradCamOptions : ExplanationOptions
{
    /// <summary>The input column: an image (<c>ImageDataViewType</c>/<c>MLImage</c>, any size) or a float vector of 3xHxW pixels.</summary>
    public string InputColumnName { get; set; } = "Image";

    /// <summary>Output: the predicted class name (text); null adds no such column.</summary>
    public string? PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Output: softmax probabilities of every class (float vector whose slot names are the labels); null adds no such column.</summary>
    public string? ScoreColumnName { get; set; } = "Score";

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
