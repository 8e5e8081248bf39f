using GradCam.Models;
using Microsoft.ML;

namespace GradCam.MLNet;

/// <summary>Grad-CAM in ML.NET's transforms catalog: <c>mlContext.Transforms.GradCam(...)</c>.</summary>
public static class GradCamCatalog
{
    /// <summary>
    /// Explains a CNN's predictions with Grad-CAM. Adds the columns <c>PredictedLabel</c> (text), <c>Score</c>
    /// (vector of Single, one probability per class, slot names = class labels), <c>Heatmap</c> (vector of Single with
    /// dimensions [height, width], values in [0, 1]), <c>TargetClass</c> (Int32, the explained class) and
    /// <c>GradCamError</c> (text, why a row could not be explained; empty otherwise).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, model, layer, target policy, heatmap resolution, batch size, device.</param>
    public static GradCamEstimator GradCam(this TransformsCatalog catalog, GradCamOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GradCamEstimator(options);
    }

    /// <summary>Explains a zoo CNN's predictions with Grad-CAM (see <see cref="GradCam(TransformsCatalog, GradCamOptions)"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The heatmap column (vector of Single, [height, width]).</param>
    /// <param name="inputColumnName">The image column (<c>MLImage</c>, any size) or a 3xHxW float vector from <c>ExtractPixels</c>.</param>
    /// <param name="model">A zoo model name (<c>vgg16</c>, <c>resnet18</c>, ...) or a model package file.</param>
    /// <param name="weightsPath">The zoo model's state_dict file (e.g. torchvision's <c>vgg16-397923af.pth</c>).</param>
    public static GradCamEstimator GradCam(this TransformsCatalog catalog, string outputColumnName = "Heatmap",
                                           string inputColumnName = "Image", string model = "vgg16", string? weightsPath = null) =>
        catalog.GradCam(new GradCamOptions
        {
            HeatmapColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Model = new ModelSpec(model) { WeightsPath = weightsPath },
        });

    /// <summary>
    /// Explains a fitted ML.NET image-classification model — e.g. <c>LoadImages → ResizeImages → ExtractPixels →
    /// DnnFeaturizeImage → LbfgsMaximumEntropy</c>, or <c>… → ApplyOnnxModel(classifier.onnx)</c> — with no re-description
    /// of it. The transformer's output is every column <paramref name="trained"/> outputs, as ML.NET computes them, plus
    /// the heatmap (<see cref="ExplanationOptions.HeatmapColumnName"/>), the explained class and an error column.
    /// </summary>
    /// <remarks>
    /// The chain is split at its network: ML.NET runs everything, exactly as fitted; the network (the featurizer's
    /// preprocessing and trunk, or the classifier) is imported from the ONNX files ML.NET loaded, the trained linear head
    /// (and a normaliser before it) becomes the last layer, and methods differentiate the head's raw score. Fitting
    /// checks that this reconstruction gives the model's own scores.
    /// </remarks>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="trained">The fitted model.</param>
    /// <param name="options">The explanation's columns, method, layer and target; defaults when null.</param>
    public static FittedModelEstimator GradCam(this TransformsCatalog catalog, ITransformer trained, FittedModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(trained);
        return new FittedModelEstimator(trained, options ?? new FittedModelOptions());
    }
}
