using System.CommandLine;
using GradCam.Dashcam.Training;
using GradCam.Dashcam.World;
using GradCam.MLNet;
using GradCam.Dashcam.Investigation;
using GradCam.Models;
using GradCam.Video.Investigation;
using GradCam.Models.Loading;
using GradCam.Onnx;

namespace GradCam.Dashcam;

/// <summary><c>dashcam</c>: the synthetic dashcam world, its stop/go models, and the "why did the car stop?" investigation.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static Task<int> Main(string[] args)
    {
        ModelLoaderRegistry.Default.AddOnnx().AddMLNet(); // --model may name an ONNX file or a saved ML.NET model too
        var root = new RootCommand("The dashcam sample: render a drive, train stop/go CNNs, investigate why the car stopped");
        root.Subcommands.Add(TrainCommand());
        root.Subcommands.Add(TrainMLNetCommand());
        root.Subcommands.Add(TrainDetectorCommand());
        root.Subcommands.Add(RenderDriveCommand());
        root.Subcommands.Add(RenderFleetCommand());
        root.Subcommands.Add(InvestigateCommand());
        root.Subcommands.Add(PointingCommand());
        return root.Parse(args).InvokeAsync();
    }

    /// <summary>A model by name: <c>honest</c>/<c>shortcut</c> (the committed packages), a package or ONNX file, or a zoo model with weights.</summary>
    internal static ImageClassifier LoadModel(string name, string? weights, IReadOnlyList<string>? labels = null)
    {
        foreach (var dir in new[] { Path.Combine(AppContext.BaseDirectory, "models"), Path.Combine("samples", "dashcam", "models") })
        {
            string packaged = Path.Combine(dir, name + ".gcm");
            if (File.Exists(packaged)) return ModelPackage.Load(packaged);
            string detector = Path.Combine(dir, name + ".onnx");
            if (File.Exists(detector)) return Detection.DetectorFile.Load(detector);
        }
        if (ModelZoo.Contains(name) && weights is null)
            throw new ArgumentException($"zoo model {name} needs --weights: {ModelZoo.WeightsHint(name)}");
        return new ModelSpec(name) { WeightsPath = weights, Labels = labels }.Load(); // zoo, package, ONNX or saved ML.NET model
    }

    private static Command InvestigateCommand()
    {
        var clip = new Argument<FileInfo>("clip") { Description = "The recording (any video OpenCV's FFmpeg decodes)" };
        var model = new Option<string>("--model", "-m") { DefaultValueFactory = _ => "shortcut", Description = "honest, shortcut, a model package, an ONNX file, a saved ML.NET model, or a zoo model with --weights" };
        var weights = new Option<FileInfo?>("--weights") { Description = "Weights of a zoo model" };
        var compare = new Option<string?>("--compare") { Description = "A second model to plot and compare (e.g. honest)" };
        var labels = new Option<FileInfo?>("--labels") { Description = "Class names of --model, one per line, for an ONNX file or a zoo model (packages hold theirs)" };
        var truth = new Option<FileInfo?>("--truth") { Description = "Ground truth from render-drive: attributes the heat to the objects in view" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Required = true, Description = "Folder for report.html, the annotated video and the timeline" };
        var eventClass = new Option<string>("--event") { DefaultValueFactory = _ => "stop", Description = "The class whose abrupt onsets are investigated" };
        var threshold = new Option<double>("--threshold") { DefaultValueFactory = _ => EventThresholds.DefaultOn, Description = "P(event) that starts an event" };
        var release = new Option<double>("--release") { DefaultValueFactory = _ => EventThresholds.DefaultOff, Description = "P(event) under which frames count as calm" };
        var quiet = new Option<int>("--min-calm") { DefaultValueFactory = _ => EventThresholds.DefaultMinQuietFrames, Description = "Calm frames needed before an onset counts as abrupt" };
        var command = new Command("investigate", "Replay a recording through a model, find abrupt stops, and explain each with Grad-CAM in report.html")
        {
            clip, model, weights, labels, compare, truth, output, eventClass, threshold, release, quiet,
        };
        command.SetAction(async (parse, token) =>
        {
            try
            {
                if (!parse.GetValue(clip)!.Exists) throw new FileNotFoundException($"clip '{parse.GetValue(clip)!.FullName}' not found");
                var names = parse.GetValue(labels) is { } labelFile ? GradCam.Models.Labels.ClassLabels.Load(labelFile.FullName) : null;
                using var main = LoadModel(parse.GetValue(model)!, parse.GetValue(weights)?.FullName, names);
                using var other = parse.GetValue(compare) is { } c ? LoadModel(c, null) : null;
                var options = new GradCam.Video.Investigation.InvestigationOptions(parse.GetValue(clip)!.FullName, parse.GetValue(output)!.FullName,
                    parse.GetValue(truth)?.FullName, parse.GetValue(eventClass)!)
                {
                    Thresholds = new(parse.GetValue(threshold), parse.GetValue(release), parse.GetValue(quiet)),
                    Story = DashcamStory.Instance,
                };
                options.Validate();
                Console.Error.WriteLine($"investigating {Path.GetFileName(options.Clip)} with {main.Name}{(other is null ? "" : $" (compared with {other.Name})")}");
                var result = await GradCam.Video.Investigation.Investigator.RunAsync(options, main, other, Console.Error, token);
                Console.WriteLine(result.Verdict);
                Console.WriteLine($"report: {result.ReportPath}");
                return 0;
            }
            catch (Exception e) when (IsUserError(e))
            {
                return Report(e);
            }
        });
        return command;
    }

    private static Command PointingCommand()
    {
        var model = new Option<string>("--model", "-m") { DefaultValueFactory = _ => "honest", Description = "The model to score" };
        var frames = new Option<int>("--frames") { DefaultValueFactory = _ => 600, Description = "Held-out stop scenes to render" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 424242, Description = "Seed of the held-out scenes" };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the score as JSON (e.g. bench/results/dashcam.json)" };
        var command = new Command("pointing", "Pointing game: does the Grad-CAM peak of 'stop' fall inside the box of the reason to stop?") { model, frames, seed, output };
        command.SetAction(parse =>
        {
            using var m = LoadModel(parse.GetValue(model)!, null);
            double accuracy = Trainer.Accuracy(m, parse.GetValue(seed) + 1);
            var score = Investigation.RenderedPointingGame.Play(m, parse.GetValue(seed), parse.GetValue(frames));
            var report = new { score.Model, HeldOutAccuracy = Math.Round(accuracy, 4), score.Frames, score.Evaluated, score.PointingAccuracy,
                               score.StrictPointingAccuracy, score.EnergyPointingAccuracy, score.MeanEnergyInBox, score.AccuracyByReason };
            string json = System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions
                { WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase });
            Console.WriteLine(json);
            if (parse.GetValue(output) is { } file) GradCam.IO.AtomicFile.WriteText(file.FullName, json + "\n");
            return 0;
        });
        return command;
    }

    private static Command RenderFleetCommand()
    {
        var drives = new Option<int>("--drives") { Required = true, Description = "How many different drives" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the fleet: the same seed renders the same drives" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Required = true, Description = "Folder for the drives, their truth files and fleet.json" };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 20, Description = "Length of each drive" };
        var width = new Option<int>("--width") { DefaultValueFactory = _ => 320, Description = "Frame width" };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => 180, Description = "Frame height" };
        var command = new Command("render-fleet", "Render N different drives (random objects, order, positions, lighting and noise; some with red billboards, some without), each with its truth, and fleet.json")
        {
            drives, seed, output, seconds, width, height,
        };
        command.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(width) is < 64 or > 4096 || parse.GetValue(height) is < 64 or > 4096) throw new ArgumentException("--width and --height must be 64 to 4096");
                string manifest = FleetRecorder.Record(parse.GetValue(output)!.FullName, parse.GetValue(drives), parse.GetValue(seed), parse.GetValue(seconds),
                                                       parse.GetValue(width), parse.GetValue(height), Console.Error);
                Console.WriteLine($"fleet: {manifest}");
                return 0;
            }
            catch (Exception e) when (IsUserError(e))
            {
                return Report(e);
            }
        });
        return command;
    }

    private static Command RenderDriveCommand()
    {
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7, Description = "Seed of lighting and sensor noise" };
        var output = new Option<FileInfo>("--out", "-o") { Required = true, Description = "The clip (.mp4 or .avi), 640x360 at 15 fps" };
        var truth = new Option<FileInfo?>("--truth") { Description = "Also write the per-frame ground truth (JSON)" };
        var boxes = new Option<FileInfo?>("--boxes") { Description = "Also write the reasons to stop of each stop frame as 'gradcam evaluate --boxes' reads them" };
        var command = new Command("render-drive", "Render the recorded drive: a green light, a tumbleweed, an oncoming car, a red billboard, then a stop sign (30 s)")
        {
            seed, output, truth, boxes,
        };
        command.SetAction(parse =>
        {
            int frames = DriveRecorder.Record(parse.GetValue(output)!.FullName, parse.GetValue(truth)?.FullName, parse.GetValue(seed), log: Console.Error,
                                             boxesPath: parse.GetValue(boxes)?.FullName);
            Console.Error.WriteLine($"wrote {frames} frames to {parse.GetValue(output)!.FullName}" +
                                    (parse.GetValue(truth) is { } t ? $" and the truth to {t.FullName}" : ""));
            return 0;
        });
        return command;
    }

    /// <summary>Errors of the user's inputs (files, models, options): one line, exit code 1, no stack trace.</summary>
    private static bool IsUserError(Exception e) => e is ArgumentException or IOException or InvalidDataException or FormatException
        or NotSupportedException or InvalidOperationException or UnauthorizedAccessException or GradCam.Models.Weights.WeightsMismatchException;

    private static readonly Dictionary<string, string> s_flags = new()
    {
        ["EventThresholds.On"] = "--threshold",
        ["EventThresholds.Off"] = "--release",
        ["EventThresholds.MinQuietFrames"] = "--min-calm",
        ["InvestigationOptions.EventClass"] = "--event",
        ["ModelSpec.Name"] = "--model",
        ["ModelSpec.WeightsPath"] = "--weights",
    };

    private static int Report(Exception e)
    {
        string message = e switch
        {
            // The library names its settings; the sample words them with its own flags.
            GradCam.Configuration.SettingException s when s_flags.GetValueOrDefault(s.Setting) is { } flag => $"{flag}: {s.Message}",
            ArgumentException { ParamName: { } name } => e.Message.Replace($" (Parameter '{name}')", ""),
            _ => e.Message,
        };
        Console.Error.WriteLine($"dashcam: error: {message.Split('\n')[0].Trim()}");
        return 1;
    }

    private static Command TrainMLNetCommand()
    {
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the scenes" };
        var scenes = new Option<int>("--scenes") { DefaultValueFactory = _ => 1500, Description = "Training scenes (unbiased)" };
        var output = new Option<FileInfo>("--out", "-o") { Required = true, Description = "ML.NET model file to write (.zip)" };
        var command = new Command("train-mlnet", "Train a stop/go classifier the ML.NET way (ResNet18 features + LbfgsMaximumEntropy) and save it as an ML.NET model file") { seed, scenes, output };
        scenes.Validators.Add(r =>
        {
            // A token that is not a number is the parser's one-line error; reading it here would throw.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out int n) && n < 20) r.AddError("--scenes must be at least 20");
        });
        command.SetAction(parse =>
        {
            try
            {
                var ml = new Microsoft.ML.MLContext(seed: parse.GetValue(seed));
                var (model, schema, accuracy) = Training.MLNetTrainer.Train(ml, parse.GetValue(scenes), parse.GetValue(seed), Console.Out);
                Console.WriteLine($"held-out accuracy (unbiased scenes): {accuracy:P1}");
                string path = parse.GetValue(output)!.FullName;
                GradCam.IO.AtomicFile.Write(path, temp => ml.Model.Save(model, schema, temp));
                Console.WriteLine($"wrote {path}");
                return 0;
            }
            catch (Exception e) when (IsUserError(e))
            {
                return Report(e);
            }
        });
        return command;
    }

    private static Command TrainCommand()
    {
        var bias = new Option<string>("--bias") { Description = "none (honest) or red-billboard (shortcut)", DefaultValueFactory = _ => "none" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the scenes and the initial weights" };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs, fresh scenes each (default 8 for none, 3 for red-billboard: the shortcut is learnt fast)" };
        var scenes = new Option<int>("--scenes") { DefaultValueFactory = _ => 3000, Description = "Scenes per epoch" };
        var output = new Option<FileInfo>("--out", "-o") { Required = true, Description = "Model package to write (.gcm)" };
        var command = new Command("train", "Train a stop/go CNN on rendered scenes and write a model package") { bias, seed, epochs, scenes, output };
        command.SetAction(parse =>
        {
            var b = parse.GetValue(bias) switch
            {
                "none" => DatasetBias.None,
                "red-billboard" => DatasetBias.RedBillboard,
                var other => throw new ArgumentException($"--bias '{other}': expected none or red-billboard"),
            };
            int epochCount = parse.GetValue(epochs) ?? (b == DatasetBias.None ? 8 : 3);
            using var model = Trainer.Train(new Trainer.Options(b, parse.GetValue(seed), epochCount, parse.GetValue(scenes)), Console.Out);
            double accuracy = Trainer.Accuracy(model, seed: 999_999);
            Console.WriteLine($"held-out accuracy (1000 unbiased scenes): {accuracy:P1}");
            ModelPackage.Save(model, parse.GetValue(output)!.FullName);
            Console.WriteLine($"wrote {parse.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }

    private static Command TrainDetectorCommand()
    {
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the scenes and the initial weights" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 10, Description = "Training epochs, fresh scenes each" };
        var scenes = new Option<int>("--scenes") { DefaultValueFactory = _ => 2000, Description = "Scenes per epoch" };
        var heldOut = new Option<int>("--held-out") { DefaultValueFactory = _ => 300, Description = "Held-out scenes for mAP@0.5 and the pointing game" };
        var output = new Option<FileInfo>("--out", "-o") { Required = true, Description = "ONNX file to write (YOLOv8 layout); its labels and measures are written beside it" };
        var command = new Command("train-detector", "Train a small single-stage detector on rendered scenes, export it to ONNX in the YOLOv8 layout, and measure mAP@0.5 and the pointing game of its box maps")
        {
            seed, epochs, scenes, heldOut, output,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(epochs) < 1 || parse.GetValue(scenes) < 1 || parse.GetValue(heldOut) < 1)
                throw new ArgumentException("--epochs, --scenes and --held-out must be at least 1");
            string path = parse.GetValue(output)!.FullName;
            if (!path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) throw new ArgumentException($"--out '{path}': expected an .onnx file");
            var net = Detection.DetectorTrainer.Train(new Detection.DetectorTrainer.Options(parse.GetValue(seed), parse.GetValue(epochs), parse.GetValue(scenes)), Console.Out);
            Detection.DetectorFile.Save(net, path);
            Console.WriteLine($"wrote {path} and {Detection.DetectorFile.LabelsPath(path)}");
            using var model = Detection.DetectorFile.Load(path);
            double diff = Detection.DetectorFile.MaxDifference(net, model);
            Console.WriteLine($"the ONNX file reproduces the trained network: max |difference| {diff:g3}");
            var result = Detection.DetectorMetrics.Measure(model, seed: 999_999, parse.GetValue(heldOut), Console.Error);
            Console.WriteLine($"held-out ({result.Scenes} scenes): mAP@0.5 {result.MeanAp:P1} ({string.Join(", ", result.ApPerClass.Select(kv => $"{kv.Key} {kv.Value:P0}"))})");
            Console.WriteLine($"pointing game of the box maps: {result.PointingAccuracy:P1} ({result.Hits}/{result.Explained} true-positive boxes)");
            Detection.DetectorFile.SaveMetrics(result, path);
            return 0;
        });
        return command;
    }
}
