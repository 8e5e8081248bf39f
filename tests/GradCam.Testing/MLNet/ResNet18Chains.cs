using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace GradCam.Testing;

/// <summary>
/// The ML.NET chains GradCam explains in the tests and the benchmark, written once: image files (column
/// <c>ImagePath</c>) loaded, resized to 224x224, turned into pixels and featurised by ML.NET's ImageNet ResNet18
/// (<c>DnnFeaturizeImage</c>), then a trainer on <c>Features</c>.
/// </summary>
public static class ResNet18Chains
{
    /// <summary>The image steps and the ResNet18 features (<c>Image</c>, <c>Pixels</c>, <c>Features</c>).</summary>
    /// <param name="ml">The context.</param>
    /// <param name="resizing">How images are brought to 224x224 (ML.NET's default crops to keep the aspect).</param>
    public static IEstimator<ITransformer> Featurizer(MLContext ml, ImageResizingEstimator.ResizingKind resizing = ImageResizingEstimator.ResizingKind.IsoCrop) =>
        ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 224, 224, resizing: resizing))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"));

    /// <summary>The features, cached, then <c>Label</c> as a key and <c>LbfgsMaximumEntropy</c>: ML.NET's image classifier.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="resizing">How images are brought to 224x224.</param>
    public static IEstimator<ITransformer> LbfgsMaximumEntropy(MLContext ml, ImageResizingEstimator.ResizingKind resizing = ImageResizingEstimator.ResizingKind.IsoCrop) =>
        Featurizer(ml, resizing)
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Features"));
}
