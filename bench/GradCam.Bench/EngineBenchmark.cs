using System.Text.Json;
using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Bench;

/// <summary>
/// Forward pass vs our Grad-CAM vs the textbook full-backward Grad-CAM, measured side by side in one run,
/// plus native memory over 500 explains. Writes bench/results/engine.json and engine-memory.json.
/// </summary>
internal static class EngineBenchmark
{
    public sealed record Record(string Model, int Batch, double ForwardMs, double GradcamMs, double NaiveMs,
                                double GradcamOverForward, double NaiveOverGradcam, int Rounds, int Threads);

    public sealed record MemoryRecord(string Model, int Batch, int Explains, double RssGrowthMB, long LiveTensorDelta, double RssBeforeMB, double RssAfterMB);

    public static IReadOnlyList<Record> Run(string resultsDir, bool quick)
    {
        var records = new List<Record>();
        foreach (var name in new[] { "vgg16", "resnet18" })
        {
            using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true, Seed = 1 });
            using var explainer = new GradCamExplainer(model);
            foreach (int batch in new[] { 1, 8 })
            {
                using var generator = new torch.Generator((ulong)batch);
                using var input = torch.randn([batch, 3, 224, 224], generator: generator);
                var targets = Enumerable.Range(0, batch).Select(i => i * 97 % 1000).ToArray();
                int rounds = quick ? 2 : batch == 1 ? 21 : 6;
                Console.Error.Write($"  {name} batch {batch}: {rounds} interleaved rounds ... ");
                var ms = Stopwatches.Interleaved(warmup: 1, rounds,
                    () => { using var logits = explainer.Forward(input); },
                    () => explainer.Explain(input, targets.Select(t => (ExplainTarget?)t).ToArray()),
                    () => ReferenceGradCam.Compute(model, explainer.Layer, input, targets));
                var r = new Record(name, batch, Round(ms[0]), Round(ms[1]), Round(ms[2]),
                                   Math.Round(ms[1] / ms[0], 3), Math.Round(ms[2] / ms[1], 2), rounds, torch.get_num_threads());
                Console.Error.WriteLine($"forward {r.ForwardMs} ms, Grad-CAM {r.GradcamMs} ms ({r.GradcamOverForward}x), naive {r.NaiveMs} ms ({r.NaiveOverGradcam}x ours)");
                records.Add(r);
            }
        }
        Write(Path.Combine(resultsDir, "engine.json"), records);

        var memory = Memory(quick ? 50 : 500);
        Write(Path.Combine(resultsDir, "engine-memory.json"), memory);
        return records;
    }

    private static MemoryRecord Memory(int explains)
    {
        using var model = ModelZoo.Create(new ModelSpec("vgg16") { RandomWeights = true, Seed = 1 });
        using var explainer = new GradCamExplainer(model);
        using var input = torch.randn(1, 3, 224, 224);
        for (int i = 0; i < 20; i++) explainer.Explain(input);
        Settle();
        long tensors = Tensor.TotalCount;
        long before = Stopwatches.ResidentBytes();
        Console.Error.Write($"  memory: {explains} vgg16 explains ");
        for (int i = 0; i < explains; i++)
        {
            explainer.Explain(input, [i % 1000]);
            if (i % 50 == 49) Console.Error.Write('.');
        }
        Settle();
        long after = Stopwatches.ResidentBytes();
        var m = new MemoryRecord("vgg16", 1, explains, Math.Round((after - before) / 1048576.0, 1), Tensor.TotalCount - tensors,
                                 Math.Round(before / 1048576.0, 1), Math.Round(after / 1048576.0, 1));
        Console.Error.WriteLine($" RSS {m.RssBeforeMB} -> {m.RssAfterMB} MB ({m.RssGrowthMB:+0.0;-0.0} MB), live tensors {m.LiveTensorDelta:+0;-0;0}");
        return m;
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Round(double ms) => Math.Round(ms, 1);

    internal static void Write<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        }) + "\n");
    }
}
