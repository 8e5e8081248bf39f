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
            Model = model,
            WeightsPath = weightsPath,
        });
}
