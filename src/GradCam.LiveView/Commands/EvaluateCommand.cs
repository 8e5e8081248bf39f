using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Evaluation;
using GradCam.Imaging;
using GradCam.LiveView.Evaluation;

namespace GradCam.LiveView.Commands;

/// <summary>
/// <c>gradcam evaluate SOURCE --method a,b,…</c>: how faithful each method's heatmaps are over a folder of images or a
/// video's frames: deletion/insertion curves and AUC, Average Drop, Increase in Confidence, and the pointing game
/// when boxes are given. Writes CSV and JSON tables and a plot of the curves. With <c>--temporal</c>, how stable each
/// method's maps are from one frame to the next, per smoothing setting (<see cref="TemporalStability"/>), instead.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A folder of images or a video file" };
        var model = new ModelArguments();
        var method = new MethodArguments();
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for evaluation.csv, evaluation-images.csv, evaluation.json and curves.png", DefaultValueFactory = _ => new DirectoryInfo("gradcam-eval") };
        var steps = new Option<int>("--steps") { Description = "Deletion/insertion steps per curve", DefaultValueFactory = _ => 20 };
        var boxes = new Option<FileInfo?>("--boxes") { Description = "JSON object: image file name (or video frame index) -> [[x, y, width, height], ...] of the target, for the pointing game" };
        var every = new Option<int>("--every") { Description = "Evaluate every N-th image or frame", DefaultValueFactory = _ => 1 };
        var max = new Option<int>("--max-images") { Description = "Evaluate at most this many images or frames", DefaultValueFactory = _ => int.MaxValue };
        var batch = new Option<int>("--batch", "-b") { Description = "Images per forward pass while scoring curves", DefaultValueFactory = _ => GradCam.Evaluation.FaithfulnessOptions.DefaultBatchSize };
        var temporal = new Option<bool>("--temporal") { Description = "Measure temporal stability instead of faithfulness: how much each method's map changes between consecutive frames, beside the frames' own change, per --ema setting; writes temporal.csv, temporal-frames.csv, temporal.json and temporal.png" };
        var emas = new Option<string>("--ema") { Description = $"With --temporal: the smoothing settings to compare, comma-separated EMA weights of the past from 0 (none) to {OverlayArguments.MaxEmaText}", DefaultValueFactory = _ => string.Join(',', SmoothingSweep.DefaultEmas.Select(e => e.ToString(CultureInfo.InvariantCulture))) };
        var normalize = OverlayArguments.NormalizeOption();
        normalize.Description = "With --temporal: " + normalize.Description;
        emas.Validators.Add(r =>
        {
            if (ParseEmas(r.GetValueOrDefault<string>()) is null) r.AddError($"--ema takes comma-separated numbers from 0 to {OverlayArguments.MaxEmaText}, e.g. 0,0.5,0.8");
        });
        steps.Check(v => v < 1, "--steps must be at least 1");
        every.Check(v => v < 1, "--every must be at least 1");
        max.Check(v => v < 1, "--max-images must be at least 1");
        batch.Check(v => v < 1, "--batch must be at least 1");

        var command = new Command("evaluate", "Compare explanation methods by faithfulness over a folder of images or a video: deletion/insertion AUC, Average Drop, Increase in Confidence and, with --boxes, the pointing game; writes CSV/JSON tables and a plot of the curves")
        {
            input, outDir, steps, boxes, every, max, batch, temporal, emas, normalize,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(temporal) && r.GetValue(boxes) is not null) r.AddError("--boxes is for the pointing game, which --temporal does not play");
            if (!r.GetValue(temporal) && (r.GetResult(emas) is { Implicit: false } || r.GetResult(normalize) is { Implicit: false }))
                r.AddError("--ema and --normalize choose the smoothing settings --temporal compares; add --temporal");
        });
        model.AddTo(command);
        method.AddTo(command, severalMethods: true);
        command.SetAction((parse, token) => CommandErrors.RunAsync(() => Task.FromResult(Run(
            parse, model, method, parse.GetValue(input)!, parse.GetValue(outDir)!.FullName, parse.GetValue(steps), parse.GetValue(boxes),
            parse.GetValue(every), parse.GetValue(max), parse.GetValue(batch),
            parse.GetValue(temporal) ? (ParseEmas(parse.GetValue(emas))!, parse.GetValue(normalize)) : null, token))));
        return command;
    }

    /// <summary>The EMA weights of <c>--ema</c>, or null when one is not a number in [0, <see cref="OverlayArguments.MaxEma"/>].</summary>
    private static IReadOnlyList<float>? ParseEmas(string? text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new List<float>();
        foreach (var part in parts)
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !(v >= 0 && v <= OverlayArguments.MaxEma)) return null;
            values.Add(v);
        }
        return values.Count == 0 ? null : values;
    }

    private static int Run(ParseResult parse, ModelArguments modelArgs, MethodArguments methodArgs, string input, string outDir, int steps,
                           FileInfo? boxesFile, int every, int max, int batch, (IReadOnlyList<float> Emas, HeatmapNormalization Scale)? temporal,
                           CancellationToken token)
    {
        var boxes = boxesFile is null ? null : BoxesFile.Load(boxesFile.FullName);
        int failures = 0;
        var (count, samples) = EvaluationSamples.Open(input, every, max, message => { CommandErrors.Report(message); failures++; });
        using var model = modelArgs.CreateClassifier(parse);
        var methods = methodArgs.Methods(parse);
        var explainers = new List<GradCamExplainer>();
        try
        {
            foreach (var m in methods) explainers.Add(methodArgs.CreateExplainer(parse, modelArgs, model, m, showProgress: false));
            var evaluator = new FaithfulnessEvaluator(model, new FaithfulnessOptions { Steps = steps, BatchSize = batch });
            var table = new EvaluationTable(methods, model.Name, explainers[0].Layers, steps);
            var stability = temporal is { } t ? new TemporalTable(methods, t.Emas, t.Scale, model.Name, explainers[0].Layers) : null;
            var target = modelArgs.ParseTarget(parse);
            Console.Error.WriteLine($"{(stability is null ? "evaluating" : "measuring the temporal stability of")} {string.Join(", ", methods.Select(m => CamMethods.Get(m).Name))} with {model.Name} on {input}" +
                                    (count is int c ? $" ({c} {(stability is null ? "images" : "frames")})" : ""));
            int done = 0;
            using var interrupt = new Interrupt("writing the tables of the images done so far...");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token, interrupt.Token);
            try
            {
                foreach (var sample in samples)
                {
                    using (sample)
                    {
                        stop.Token.ThrowIfCancellationRequested();
                        using var tensor = ImagePreprocessor.ToTensor(sample.Image, model.Input);
                        using var batched = tensor.unsqueeze(0);
                        var line = new List<string>();
                        foreach (var explainer in explainers)
                        {
                            var clock = Stopwatch.StartNew();
                            var e = explainer.Explain(batched, [target], topK: 1)[0];
                            double seconds = clock.Elapsed.TotalSeconds;
                            string name = CamMethods.Get(explainer.Method).Name;
                            if (stability is not null)
                            {
                                var change = stability.Add(sample.Key, name, e.Cam, sample.Image, seconds);
                                line.Add(change is { } ch ? FormattableString.Invariant($"{name} map {ch.Map:0.000} (scene {ch.Scene:0.000})") : $"{name} first frame");
                                continue;
                            }
                            var score = evaluator.Evaluate(tensor, e);
                            bool? hit = boxes is not null && boxes.TryGetValue(sample.Key, out var b) && b.Count > 0
                                ? PointingGame.Hit(e.Heatmap, b, sample.Image.Width, sample.Image.Height)
                                : null;
                            table.Add(new EvaluationRow(sample.Key, name, e.TargetClass, e.TargetLabel, score, hit, seconds));
                            line.Add($"{name} del {score.DeletionAuc:0.000} ins {score.InsertionAuc:0.000}");
                        }
                        done++;
                        Console.Error.WriteLine($"  [{done}{(count is int n ? $"/{n}" : "")}] {sample.Key}: {string.Join(" | ", line)}");
                    }
                }
            }
            finally
            {
                // Also on Ctrl+C or an error: the images done so far are a complete, valid table.
                if (stability is { Images: > 0 })
                    foreach (var path in stability.Write(outDir)) Console.WriteLine($"wrote {path}");
                else if (table.Images > 0)
                    foreach (var path in table.Write(outDir)) Console.WriteLine($"wrote {path}");
            }
            if ((stability?.Images ?? table.Images) == 0) throw new InvalidDataException($"no image of '{input}' could be evaluated");
            if (stability is not null) Print(stability.Summaries());
            else Print(table.Summaries());
        }
        finally
        {
            foreach (var explainer in explainers) explainer.Dispose();
        }
        return failures == 0 ? 0 : CommandErrors.Failure;
    }

    private static void Print(IReadOnlyList<TemporalSummary> summaries)
    {
        Console.WriteLine($"{"method",-16} {"ema",5} {"pairs",6} {"map change",11} {"heat change",12} {"scene change",13} {"map/scene",10} {"s/frame",8}");
        foreach (var s in summaries)
        {
            var t = s.Measured.Stability;
            Console.WriteLine(FormattableString.Invariant(
                $"{s.Method,-16} {(s.Measured.Ema == 0 ? "none" : s.Measured.Ema.ToString("0.##", CultureInfo.InvariantCulture)),5} {t.Pairs,6} {t.MapChange,11:0.0000} {t.HeatChange,12:0.0000} {t.SceneChange,13:0.0000} {(t.Ratio is double r ? r.ToString("0.0", CultureInfo.InvariantCulture) + "x" : "still"),10} {s.ExplainSecondsPerFrame,8:0.000}"));
        }
        Console.WriteLine(TemporalStability.Formula);
    }

    private static void Print(IReadOnlyList<MethodSummary> summaries)
    {
        Console.WriteLine($"{"method",-16} {"images",6} {"deletion",9} {"insertion",9} {"avg drop",9} {"increase",9} {"pointing",9} {"s/image",8}");
        foreach (var s in summaries)
        {
            var f = s.Faithfulness;
            Console.WriteLine($"{s.Method,-16} {f.Images,6} {f.DeletionAuc,9:0.0000} {f.InsertionAuc,9:0.0000} {f.AverageDropPercent,8:0.0}% " +
                              $"{f.IncreaseInConfidencePercent,8:0.0}% {(s.PointingAccuracyPercent is double p ? $"{p,8:0.0}%" : "       -"),9} {s.ExplainSecondsPerImage,8:0.000}");
        }
    }
}
