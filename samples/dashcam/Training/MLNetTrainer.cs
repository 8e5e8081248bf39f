using System.Runtime.InteropServices;
using GradCam.Dashcam.World;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;
using OpenCvSharp;

namespace GradCam.Dashcam.Training;

/// <summary>
/// The stop/go classifier trained the standard ML.NET way: rendered scenes as in-memory images, ResizeImages (Fill),
/// ExtractPixels, DnnFeaturizeImage with ResNet18, and LbfgsMaximumEntropy on the 512 features. Saved as an ML.NET
/// model file; GradCam explains it with no re-description (the network and the trained head are read from the file).
/// </summary>
public static class MLNetTrainer
{
    /// <summary>A rendered scene as ML.NET reads it.</summary>
    public sealed class SceneImage
    {
        [ImageType(Trainer.RenderHeight, Trainer.RenderWidth)]
        public MLImage Image { get; set; } = null!;

        public string Label { get; set; } = "";
    }

    /// <summary>Trains on <paramref name="scenes"/> unbiased scenes and returns the model with its input schema and held-out accuracy.</summary>
    public static (ITransformer Model, DataViewSchema Schema, double Accuracy) Train(MLContext ml, int scenes, int seed, TextWriter log)
    {
        var train = ml.Data.LoadFromEnumerable(Render(scenes, seed));
        var pipeline = ml.Transforms.ResizeImages("Image", 224, 224, resizing: ImageResizingEstimator.ResizingKind.Fill)
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), "Pixels"))
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Features"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        log.WriteLine($"featurizing {scenes} scenes with ResNet18 and training LbfgsMaximumEntropy ...");
        var model = pipeline.Fit(train);
        var heldOut = ml.Data.LoadFromEnumerable(Render(Math.Max(200, scenes / 3), seed + 999_999));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(heldOut), "Label", "Score", "PredictedLabel");
        return (model, train.Schema, metrics.MicroAccuracy);
    }

    /// <summary>Freshly rendered unbiased scenes, labelled go/stop, as in-memory images.</summary>
    public static IEnumerable<SceneImage> Render(int count, int seed)
    {
        var sampler = new SceneSampler(seed);
        for (int i = 0; i < count; i++)
        {
            var (scene, stop) = sampler.Next();
            var (image, _) = SceneRenderer.Render(scene, Trainer.RenderWidth, Trainer.RenderHeight);
            using (image)
                yield return new SceneImage { Image = ToMLImage(image), Label = stop ? "stop" : "go" };
        }
    }

    private static MLImage ToMLImage(Mat bgr)
    {
        using var bgra = new Mat();
        Cv2.CvtColor(bgr, bgra, ColorConversionCodes.BGR2BGRA);
        var bytes = new byte[bgra.Rows * bgra.Cols * 4];
        Marshal.Copy(bgra.Data, bytes, 0, bytes.Length);
        return MLImage.CreateFromPixels(bgra.Cols, bgra.Rows, MLPixelFormat.Bgra32, bytes);
    }
}
