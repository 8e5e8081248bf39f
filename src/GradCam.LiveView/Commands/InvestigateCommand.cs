using System.CommandLine;
using GradCam.IO;
using GradCam.Models;
using GradCam.Video.Investigation;

namespace GradCam.LiveView.Commands;

/// <summary>
/// <c>gradcam investigate VIDEO --model M [--compare M2] [--truth T] --event CLASS --out DIR</c>: why did the model decide
/// that? The abrupt onsets of a class in a recording, each explained and attributed, in one report.
/// </summary>
internal static class InvestigateCommand
{
    public static Command Create()
    {
        var clip = new Argument<FileInfo>("video") { Description = "The recording (any video FFmpeg decodes)" };
        var model = new ModelArguments();
        var method = new MethodArguments();
        var compare = new Option<string?>("--compare") { Description = "A second model to replay and compare: a model package, an ONNX file or a saved ML.NET model" };
        var truth = new Option<FileInfo?>("--truth") { Description = "Ground truth (a JSON array of frames with their objects' boxes): attributes the heat to the objects in view" };
        var eventClass = new Option<string>("--event") { Description = "The class whose abrupt onsets are investigated (a label or a class index)", Required = true };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Folder for report.html, annotated.mp4, timeline.jsonl and the event images", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "P(event) that starts an event", DefaultValueFactory = _ => EventThresholds.DefaultOn };
        var release = new Option<double>("--release") { Description = "P(event) under which frames count as calm", DefaultValueFactory = _ => EventThresholds.DefaultOff };
        var calm = new Option<int>("--min-calm") { Description = "Calm frames needed before an onset counts as abrupt", DefaultValueFactory = _ => EventThresholds.DefaultMinQuietFrames };
        var batch = new Option<int>("--batch", "-b") { Description = "Frames per forward pass", DefaultValueFactory = _ => GradCam.Video.Pipeline.PipelineOptions.DefaultBatchSize };
        threshold.Check(v => !(v > 0 && v <= 1), "--threshold must be above 0 and at most 1");
        release.Check(v => !(v >= 0 && v <= 1), "--release must be between 0 and 1");
        calm.Check(v => v < 0, "--min-calm must be 0 or more");
        batch.Check(v => v < 1, "--batch must be at least 1");

        var command = new Command("investigate", "Why did the model decide that? Replay a recording, find the abrupt onsets of a class (the car stopping), explain each with Grad-CAM, attribute the heat to the objects in view, and write report.html")
        {
            clip, compare, truth, eventClass, output, threshold, release, calm, batch,
        };
        model.AddTo(command);
        method.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(model.Target) is not null) r.AddError("--target does not apply: --event names the class investigated");
            // The order of the thresholds is EventThresholds.Validate's (a validator here sees 0 for options left at their default).
        });
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            var video = parse.GetValue(clip)!;
            if (!video.Exists) throw new FileNotFoundException($"video '{video.FullName}' not found");
            string outDir = parse.GetValue(output)!.FullName;
            if (File.Exists(outDir)) throw new ArgumentException($"--out '{outDir}' is a file; expected a folder");
            OutputChecks.Check(new[] { video.FullName, parse.GetValue(truth)?.FullName }.OfType<string>(), ("--out", Path.Combine(outDir, "report.html")));

            var options = new InvestigationOptions(video.FullName, outDir, parse.GetValue(truth)?.FullName, parse.GetValue(eventClass)!)
            {
                Thresholds = new(parse.GetValue(threshold), parse.GetValue(release), parse.GetValue(calm)),
                BatchSize = parse.GetValue(batch),
                Explainer = method.Options(parse, model),
            };
            options.Validate();
            var spec = model.Spec(parse);
            using var main = spec.Load(CliModels.Registry);
            using var other = parse.GetValue(compare) is { } c ? new ModelSpec(c) { Device = spec.Device }.Load(CliModels.Registry) : null;
            Console.Error.WriteLine($"investigating {video.Name} with {main.Name}{(other is null ? "" : $" (compared with {other.Name})")}: abrupt '{options.EventClass}'");
            var result = await Investigator.RunAsync(options, main, other, Console.Error, token);
            Console.WriteLine(result.Verdict);
            Console.WriteLine($"report: {result.ReportPath}");
            return 0;
        }));
        return command;
    }
}
