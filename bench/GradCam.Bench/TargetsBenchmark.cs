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
/// Targets beyond a class, side by side in one run: the dashcam detector's forward pass against the Grad-CAM of one box;
/// K boxes explained with one shared forward pass (ExplainEach) against K separate explanations; vit_b_16's forward pass
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
        string detector = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "dashcam", "models", "detector.onnx");
        using (var model = new ModelSpec(Path.GetFullPath(detector))
               {
                   Input = new InputOptions { Preprocessing = "imagenet" },
                   Detector = new DetectionOptions { Layout = DetectorLayout.Yolov8, ScoreThreshold = 0.01f },
               }.Load(ModelLoaderRegistry.CreateDefault().AddOnnx()))
        using (var explainer = new GradCamExplainer(model))
        {
            // A random image gives many low-scoring boxes: enough to explain K of them.
            using var generator = new torch.Generator(3);
            using var x = torch.randn([1, 3, model.Input.Height, model.Input.Width], generator: generator);
            var boxes = explainer.Detect(x)[0];
            int rounds = quick ? 3 : 31;
            Console.Error.Write($"  detector {model.Input.Width}x{model.Input.Height}: {rounds} interleaved rounds ... ");
            var ms = Stopwatches.Interleaved(warmup: 2, rounds, () => { using var l = explainer.Forward(x); }, () => explainer.Explain(x, [ExplainTarget.Box(0)]));
            pairs.Add(new Pair("dashcam detector", "box:0", R(ms[0]), R(ms[1]), Math.Round(ms[1] / ms[0], 2), rounds));
            Console.Error.WriteLine($"forward {R(ms[0])} ms, box Grad-CAM {R(ms[1])} ms");
            foreach (int k in new[] { 1, 2, 4, 8, 16 }.Where(k => k <= boxes.Count))
            {
                var targets = Enumerable.Range(0, k).Select(i => (ExplainTarget)ExplainTarget.Box(i)).ToArray();
                var t = Stopwatches.Interleaved(warmup: 1, quick ? 2 : 11,
                    () => { using var l = explainer.Forward(x); },
                    () => explainer.ExplainEach(x, targets),
                    () => { foreach (var target in targets) explainer.Explain(x, [target]); });
                shared.Add(new Shared(k, R(t[1]), R(t[2]), Math.Round(t[1] / t[0], 2), Math.Round(t[2] / t[0], 2), quick ? 2 : 11));
                Console.Error.WriteLine($"  {k} boxes: shared forward {R(t[1])} ms ({t[1] / t[0]:0.00}x forward), separately {R(t[2])} ms");
            }
        }

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

    private static double R(double ms) => Math.Round(ms, 2);
}
