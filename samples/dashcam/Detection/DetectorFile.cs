using System.Text.Json;
using GradCam.Detectors;
using GradCam.Dashcam.Training;
using GradCam.Models;
using GradCam.Models.Loading;
using GradCam.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Dashcam.Detection;

/// <summary>The dashcam detector as files: the ONNX model, its labels (one per line) and its measures, side by side.</summary>
public static class DetectorFile
{
    /// <summary>The labels file beside a model.</summary>
    public static string LabelsPath(string onnx) => Path.ChangeExtension(onnx, ".labels.txt");

    /// <summary>The measures file beside a model.</summary>
    public static string MetricsPath(string onnx) => Path.ChangeExtension(onnx, ".metrics.json");

    /// <summary>How the detector's output is read: YOLOv8's layout with the default thresholds.</summary>
    public static DetectionOptions Detector { get; } = new() { Layout = DetectorLayout.Yolov8 };

    /// <summary>Writes the ONNX model and its labels.</summary>
    public static void Save(DetectorNet net, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        DetectorOnnxExport.Write(net, DetectorNet.Input.Height, DetectorNet.Input.Width, path);
        File.WriteAllLines(LabelsPath(path), DetectorClasses.Labels);
    }

    /// <summary>Loads the ONNX model with its labels, ImageNet preprocessing and the YOLOv8 layout.</summary>
    public static ImageClassifier Load(string path) => new ModelSpec(path)
    {
        Labels = File.Exists(LabelsPath(path)) ? File.ReadAllLines(LabelsPath(path)) : DetectorClasses.Labels,
        Input = new InputOptions { Preprocessing = "imagenet" },
        Detector = Detector,
    }.Load(ModelLoaderRegistry.CreateDefault().AddOnnx());

    /// <summary>The largest difference between the trained network's and the loaded file's outputs on a few scenes.</summary>
    public static double MaxDifference(DetectorNet net, ImageClassifier model)
    {
        using var scope = torch.NewDisposeScope();
        var (x, _) = DetectorTrainer.Batch(new World.SceneSampler(4242), 4);
        using var noGrad = torch.no_grad();
        return (net.call(x) - model.Module.call(x)).abs().max().item<float>();
    }

    /// <summary>Writes the measures beside the model.</summary>
    public static void SaveMetrics(DetectorMetrics.Result result, string path) =>
        File.WriteAllText(MetricsPath(path), JsonSerializer.Serialize(new
        {
            heldOutScenes = result.Scenes,
            mAP50 = Math.Round(result.MeanAp, 4),
            apPerClass = result.ApPerClass.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            pointingGame = new { hits = result.Hits, explained = result.Explained, accuracy = Math.Round(result.PointingAccuracy, 4) },
        }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
