using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;
using TorchSharp;

namespace GradCam.Bench;

/// <summary>
/// Each explanation method's cost relative to one forward pass, measured side by side (interleaved rounds) for
/// vgg16 and resnet18 at batch 1 and 8; flip and noise averaging at batch 1. Score-CAM, hundreds of forward passes
/// per image, is timed once per mask batch size at batch 1. Writes bench/results/methods.json.
/// </summary>
internal static class MethodsBenchmark
{
    public sealed record Record(string Model, int Batch, string Method, double Ms, double ForwardMs, double OverForward, int Rounds, string? Note);

    private static readonly (string Name, ExplainerOptions Options)[] s_variants =
    [
        .. new[] { CamMethod.GradCam, CamMethod.GradCamPlusPlus, CamMethod.XGradCam, CamMethod.HiResCam, CamMethod.LayerCam,
                   CamMethod.EigenCam, CamMethod.GuidedBackprop, CamMethod.GuidedGradCam }
            .Select(m => (CamMethods.Get(m).Name, new ExplainerOptions { Method = m })),
        ("gradcam --flip", new ExplainerOptions { FlipAveraging = true }),
        ("gradcam --smooth 8", new ExplainerOptions { SmoothSamples = 8 }),
    ];

    public static IReadOnlyList<Record> Run(string resultsDir, bool quick)
    {
        var records = new List<Record>();
        foreach (var name in new[] { "vgg16", "resnet18" })
        {
            using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true, Seed = 1 });
            var explainers = s_variants.Select(v => (v.Name, Explainer: new GradCamExplainer(model, v.Options))).ToList();
            try
            {
                foreach (int batch in new[] { 1, 8 })
                {
                    using var generator = new torch.Generator((ulong)batch);
                    using var input = torch.randn([batch, 3, 224, 224], generator: generator);
                    // Many rounds for the fast model, whose few-millisecond differences drown in this machine's noise otherwise.
                    int rounds = quick ? 1 : (name, batch) switch { ("resnet18", 1) => 31, ("resnet18", _) => 15, (_, 1) => 9, _ => 5 };
                    Console.Error.Write($"  {name} batch {batch}: {explainers.Count} methods, {rounds} interleaved rounds ... ");
                    // Averaging multiplies the passes: measured at batch 1 only, to keep the run short.
                    var timed = explainers.Where(e => batch == 1 || !e.Name.Contains("--")).ToList();
                    var actions = new List<Action> { () => { using var logits = timed[0].Explainer.Forward(input); } };
                    actions.AddRange(timed.Select(e => (Action)(() => e.Explainer.Explain(input))));
                    var ms = Stopwatches.Interleaved(warmup: 1, rounds, actions.ToArray());
                    for (int i = 0; i < timed.Count; i++)
                        records.Add(new Record(name, batch, timed[i].Name, Round(ms[i + 1]), Round(ms[0]), Math.Round(ms[i + 1] / ms[0], 3), rounds, null));
                    Console.Error.WriteLine($"forward {Round(ms[0])} ms");
                }
                // vgg16's masked passes take minutes: its batch-size comparison is in the README, from one longer run.
                foreach (int maskBatch in name == "vgg16" ? new[] { 1 } : new[] { 1, 4 }) records.Add(ScoreCam(model, maskBatch));
            }
            finally
            {
                foreach (var (_, explainer) in explainers) explainer.Dispose();
            }
        }
        EngineBenchmark.Write(Path.Combine(resultsDir, "methods.json"), records);
        return records;
    }

    private static Record ScoreCam(ImageClassifier model, int maskBatch)
    {
        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.ScoreCam, ScoreCamBatchSize = maskBatch });
        using var generator = new torch.Generator(11);
        using var input = torch.randn([1, 3, 224, 224], generator: generator);
        const int rounds = 1; // one run is already hundreds of forward passes
        Console.Error.Write($"  {model.Name} Score-CAM batch 1 (masks {maskBatch} per pass): {rounds} rounds ");
        explainer.Progress = new Dots();
        var ms = Stopwatches.Interleaved(warmup: 0, rounds,
            () => { using var logits = explainer.Forward(input); },
            () => explainer.Explain(input));
        Console.Error.WriteLine($" {Round(ms[1])} ms");
        return new Record(model.Name, 1, $"scorecam (masks {maskBatch} per pass)", Round(ms[1]), Round(ms[0]), Math.Round(ms[1] / ms[0], 1), rounds,
                          $"one forward pass per informative channel of the target layer (blank masks scored once), {maskBatch} masked images per pass");
    }

    private sealed class Dots : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value)
        {
            if (value.Done % 128 == 0) Console.Error.Write('.');
        }
    }

    private static double Round(double ms) => Math.Round(ms, 1);
}
