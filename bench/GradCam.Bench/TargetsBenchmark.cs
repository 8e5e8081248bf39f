using System.Text.Json;
using GradCam.Detectors;
using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using GradCam.Models.Loading;
using GradCam.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Bench;

/// <summary>
/// Targets beyond a class, side by side in one run: a detector's forward pass against the Grad-CAM of one box (the dashcam
/// detector, and a ResNet18-trunk detector of realistic cost); K boxes explained in one call sharing the forward pass
/// (ExplainEach) against K separate explanations; vit_b_16's forward pass
/// against its Grad-CAM at the last block's first normalisation (the tests' torchvision export, Debian's python3-torch).
/// Writes bench/results/targets.json.
/// </summary>
internal static class TargetsBenchmark
{
    public sealed record Pair(string Model, string Target, double ForwardMs, double ExplainMs, double ExplainOverForward, int Rounds);

    public sealed record Shared(int Boxes, double SharedMs, double SeparateMs, double SharedOverForward, double SeparateOverForward, int Rounds);

    public sealed record Results(IReadOnlyList<Pair> Pairs, IReadOnlyList<Shared> BoxAll, int Threads);

    public static Results Run(string resultsDir, bool quick)
    {
        var pairs = new List<Pair>();
        var shared = new List<Shared>();
        string dashcam = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "dashcam", "models", "detector.onnx"));
        var lowThreshold = new DetectionOptions { Layout = DetectorLayout.Yolov8, ScoreThreshold = 0.01f };
        using (var small = new ModelSpec(dashcam) { Input = new InputOptions { Preprocessing = "imagenet" }, Detector = lowThreshold }
                   .Load(ModelLoaderRegistry.CreateDefault().AddOnnx()))
            Detector(small, "dashcam detector (ONNX, 256x144)", quick ? 3 : 31, pairs, null);
        torch.manual_seed(1);
        using (var resnet = new ImageClassifier("resnet18 detector", new ResNetDetector(80), GradCam.Models.Labels.ClassLabels.Numbered(80), "layer4",
                                                new InputSpec(640, 384, InputSpec.ImageNet.Mean, InputSpec.ImageNet.Std)) { Detector = lowThreshold })
            Detector(resnet, "ResNet18-trunk detector (TorchSharp, 640x384, 80 classes)", quick ? 2 : 11, pairs, quick ? null : shared);

        string vit = new TransformerOnnxFixture().Model("vit_b_16", 17);
        using (var model = OnnxModel.Load(vit))
        using (var explainer = new GradCamExplainer(model))
        {
            using var generator = new torch.Generator(5);
            using var x = torch.randn([1, 3, 224, 224], generator: generator);
            int rounds = quick ? 2 : 11;
            Console.Error.Write($"  vit_b_16: {rounds} interleaved rounds ... ");
            var ms = Stopwatches.Interleaved(warmup: 1, rounds, () => { using var l = explainer.Forward(x); }, () => explainer.Explain(x));
            pairs.Add(new Pair("vit_b_16 (ONNX, opset 17)", $"top class at {explainer.Layer}", R(ms[0]), R(ms[1]), Math.Round(ms[1] / ms[0], 2), rounds));
            Console.Error.WriteLine($"forward {R(ms[0])} ms, Grad-CAM {R(ms[1])} ms");
        }

        var results = new Results(pairs, shared, torch.get_num_threads());
        File.WriteAllText(Path.Combine(resultsDir, "targets.json"), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return results;
    }

    /// <summary>Forward against one box's Grad-CAM; with <paramref name="shared"/>, K boxes in one call against K calls.</summary>
    private static void Detector(ImageClassifier model, string name, int rounds, List<Pair> pairs, List<Shared>? shared)
    {
        using var explainer = new GradCamExplainer(model);
        // A random image gives many low-scoring boxes: enough to explain K of them.
        using var generator = new torch.Generator(3);
        using var x = torch.randn([1, 3, model.Input.Height, model.Input.Width], generator: generator);
        var boxes = explainer.Detect(x)[0];
        Console.Error.Write($"  {name}: {rounds} interleaved rounds ... ");
        var ms = Stopwatches.Interleaved(warmup: 2, rounds, () => { using var l = explainer.Forward(x); }, () => explainer.Explain(x, [ExplainTarget.Box(0)]));
        pairs.Add(new Pair(name, "box:0", R(ms[0]), R(ms[1]), Math.Round(ms[1] / ms[0], 2), rounds));
        Console.Error.WriteLine($"forward {R(ms[0])} ms, box Grad-CAM {R(ms[1])} ms");
        if (shared is null) return;
        foreach (int k in new[] { 1, 2, 4, 8, 16 }.Where(k => k <= boxes.Count))
        {
            var targets = Enumerable.Range(0, k).Select(i => (ExplainTarget)ExplainTarget.Box(i)).ToArray();
            int r = Math.Max(3, rounds / 2);
            var t = Stopwatches.Interleaved(warmup: 1, r,
                () => { using var l = explainer.Forward(x); },
                () => explainer.ExplainEach(x, targets),
                () => { foreach (var target in targets) explainer.Explain(x, [target]); });
            shared.Add(new Shared(k, R(t[1]), R(t[2]), Math.Round(t[1] / t[0], 2), Math.Round(t[2] / t[0], 2), r));
            Console.Error.WriteLine($"  {k} boxes: one call {R(t[1])} ms ({t[1] / t[0]:0.00}x forward), {k} calls {R(t[2])} ms ({t[2] / t[0]:0.00}x)");
        }
    }

    private static double R(double ms) => Math.Round(ms, 2);
}
