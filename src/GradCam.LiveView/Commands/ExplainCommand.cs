using System.CommandLine;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Engine.Targets;
using GradCam.Imaging;
using GradCam.Video.Sources;
using OpenCvSharp;

namespace GradCam.LiveView.Commands;

/// <summary><c>gradcam explain IMAGE...</c>: top-k predictions and Grad-CAM figures for image files.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var images = new Argument<FileInfo[]>("images") { Description = "Image files (JPEG, PNG, BMP, TIFF, WebP) or folders of them", Arity = ArgumentArity.OneOrMore };
        var model = new ModelArguments();
        var method = new MethodArguments();
        var top = new Option<int>("--top", "-k") { Description = "How many top classes to print and record", DefaultValueFactory = _ => 5 };
        var outDir = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for the figures", DefaultValueFactory = _ => new DirectoryInfo("gradcam-out") };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the predictions and raw CAMs as JSON" };
        var batch = new Option<int>("--batch", "-b") { Description = "Images per forward pass", DefaultValueFactory = _ => 4 };
        var colormap = new Option<Colormap>("--colormap") { Description = "Colouring of the overlay image: Jet, Coolwarm or Turbo", DefaultValueFactory = _ => Colormap.Jet };
        var alpha = new Option<double>("--alpha") { Description = "Heatmap opacity of the overlay image, 0..1", DefaultValueFactory = _ => 0.5 };
        top.Check(v => v < 1, "--top must be at least 1");
        batch.Check(v => v < 1, "--batch must be at least 1");
        alpha.Check(v => !(v >= 0 && v <= 1), "--alpha must be between 0 and 1");

        var command = new Command("explain", "Explain the predictions for image files: prints the top classes and writes, per image, the article's figure (image beside its edges under the heatmap) and a colour overlay; --method picks Grad-CAM or another method of the family")
        {
            images, top, outDir, json, batch, colormap, alpha,
        };
        model.AddTo(command);
        method.AddTo(command);
        command.SetAction(parse => CommandErrors.Run(() => Run(
            parse.GetValue(images)!, model, method, parse, parse.GetValue(top), parse.GetValue(outDir)!, parse.GetValue(json),
            parse.GetValue(batch), parse.GetValue(colormap), parse.GetValue(alpha))));
        return command;
    }

    private static int Run(FileInfo[] images, ModelArguments modelArgs, MethodArguments methodArgs, ParseResult parse, int top, DirectoryInfo outDir, FileInfo? json,
                           int batchSize, Colormap colormap, double alpha)
    {
        // Fail on a missing file before spending seconds loading weights; a folder stands for its images.
        images = images.SelectMany(Expand).ToArray();
        OutputChecks.Check(images.Select(i => i.FullName), ("--json", json?.FullName));

        using var model = modelArgs.CreateClassifier(parse);
        using var explainer = methodArgs.CreateExplainer(parse, modelArgs, model);
        var target = modelArgs.ParseTarget(parse);
        outDir.Create();
        Console.WriteLine($"{model.Name} on {model.Device.type.ToString().ToLowerInvariant()}, {MethodArguments.Describe(explainer)}");

        var results = new List<ExplainJson.Result>();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        int failures = 0;
        foreach (var chunk in images.Chunk(batchSize))
        {
            var loaded = new List<(FileInfo File, Mat Image, string? Warning)>();
            try
            {
                foreach (var file in chunk)
                {
                    try
                    {
                        string? warning = ImagePreprocessor.IsTruncated(file.FullName) ? ExplainJson.Truncated : null;
                        loaded.Add((file, ImagePreprocessor.Load(file.FullName), warning));
                        if (warning is not null) Console.Error.WriteLine($"gradcam: warning: image '{file.FullName}': {warning}");
                    }
                    catch (InvalidDataException e) { CommandErrors.Report(e.Message); failures++; }
                }
                if (loaded.Count == 0) continue;
                foreach (var (file, image, warning, explanations) in ExplainChunk(explainer, loaded, target, top, ref failures))
                {
                    if (explanations.Count == 0)
                        Console.WriteLine($"{file.Name}\n  no detection scores {model.Detector!.ScoreThreshold} or more: nothing to explain");
                    foreach (var e in explanations)
                    {
                        results.Add(ExplainJson.From(file.FullName, e, image.Width, image.Height, warning));
                        if (!e.IsFinite)
                        {
                            Console.Error.WriteLine($"gradcam: warning: image '{file.FullName}': {ExplainJson.NonFinite}; no figure written");
                            failures++;
                            continue;
                        }
                        string name = Path.GetFileNameWithoutExtension(file.Name) + (explanations.Count > 1 || target is DetectionTarget { IsAll: true } ? $".box{e.Detection!.Rank}" : "");
                        string stem = UniqueStem(name, usedNames);
                        string figurePath = Path.Combine(outDir.FullName, stem + ".gradcam.png");
                        string overlayPath = Path.Combine(outDir.FullName, stem + ".overlay.png");
                        using (var figure = ExplanationFigure.Render(image, e, model.Input.Width))
                            figure.SaveImage(figurePath);
                        using (var overlay = HeatmapOverlay.Blend(image, e.Heatmap, colormap, alpha))
                        {
                            DetectionOverlay.Draw(overlay, e);
                            overlay.SaveImage(overlayPath);
                        }
                        Print(file.Name, e, figurePath, overlayPath);
                    }
                }
            }
            finally
            {
                foreach (var (_, image, _) in loaded) image.Dispose();
            }
        }

        if (json is not null)
        {
            new ExplainJson(model.Name, explainer.Layer, CamMethods.Get(explainer.Method).Name, explainer.Layers, results).Write(json.FullName);
            Console.WriteLine($"wrote {json.FullName}");
        }
        return failures == 0 ? 0 : CommandErrors.Failure;
    }

    /// <summary>
    /// Explains the loaded images: in one batch, or one image at a time when a target does not exist for one of them
    /// (that image is reported and skipped); <c>box:all</c> explains each image's detections, sharing its forward pass.
    /// </summary>
    private static List<(FileInfo File, Mat Image, string? Warning, IReadOnlyList<Explanation> Explanations)> ExplainChunk(
        GradCamExplainer explainer, List<(FileInfo File, Mat Image, string? Warning)> loaded, ExplainTarget? target, int top, ref int failures)
    {
        var done = new List<(FileInfo, Mat, string?, IReadOnlyList<Explanation>)>();
        if (target is not DetectionTarget { IsAll: true })
        {
            // An image lacking the target (a box rank it does not reach) fails alone, naming itself.
            using var batch = ImagePreprocessor.ToBatch(loaded.Select(l => l.Image).ToArray(), explainer.Model.Input);
            var outcomes = explainer.TryExplain(batch, loaded.Select(_ => target).ToArray(), top);
            for (int i = 0; i < loaded.Count; i++)
            {
                if (outcomes[i].Error is { } error)
                {
                    CommandErrors.Report($"image '{loaded[i].File.FullName}': {error.Message}");
                    failures++;
                }
                else done.Add((loaded[i].File, loaded[i].Image, loaded[i].Warning, [outcomes[i].Explanation!]));
            }
            return done;
        }
        foreach (var (file, image, warning) in loaded)
        {
            try
            {
                using var input = ImagePreprocessor.ToTensor(image, explainer.Model.Input);
                using var batch = input.unsqueeze(0);
                done.Add((file, image, warning, explainer.ExplainDetections(batch)));
            }
            catch (ArgumentException e) when (e is not Configuration.SettingException)
            {
                CommandErrors.Report($"image '{file.FullName}': {e.Message}");
                failures++;
            }
        }
        return done;
    }

    private static IEnumerable<FileInfo> Expand(FileInfo image)
    {
        if (Directory.Exists(image.FullName))
        {
            var files = ImageFolderSource.ImageFiles(image.FullName);
            if (files.Length == 0) throw new FileNotFoundException($"folder '{image.FullName}' holds no image (JPEG, PNG, BMP, TIFF, WebP)");
            return files.Select(f => new FileInfo(f));
        }
        if (!image.Exists) throw new FileNotFoundException($"image '{image.FullName}' not found");
        return [image];
    }

    private static void Print(string image, Explanation e, string figure, string overlay)
    {
        // As the article's display_output: one "label probability" line per top class.
        Console.WriteLine(image);
        foreach (var c in e.TopK) Console.WriteLine($"  {c.Label} {c.Probability:0.0000}");
        foreach (var d in e.Detections) Console.WriteLine($"  box #{d.Rank} {d.Label} {d.Score:0.0000} {d.Box}");
        string what = e.Detection is { } box ? $"box #{box.Rank} ({box.Label}, score {box.Score:0.0000})"
            : e.TargetClass < 0 ? $"{e.TargetLabel} (value {e.TargetLogit:0.####})"
            : $"class {e.TargetClass} ({e.TargetLabel.Split(',')[0]})";
        Console.WriteLine($"  {CamMethods.Get(e.Method).Title} of {what}, peak at ({e.Heatmap.Peak().X}, {e.Heatmap.Peak().Y}) of {e.Heatmap.Width}x{e.Heatmap.Height}");
        Console.WriteLine($"  -> {figure}");
        Console.WriteLine($"  -> {overlay}");
    }

    private static string UniqueStem(string stem, HashSet<string> used)
    {
        string candidate = stem;
        for (int i = 2; !used.Add(candidate); i++) candidate = $"{stem}-{i}";
        return candidate;
    }
}
