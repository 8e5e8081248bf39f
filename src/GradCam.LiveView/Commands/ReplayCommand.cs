using System.CommandLine;
using GradCam.Engine;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;

namespace GradCam.LiveView.Commands;

/// <summary><c>gradcam replay</c>: explain every frame of a recording, in order, into an annotated video and a timeline.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A video file or a folder of images (played in name order)" };
        var model = new ModelArguments();
        var method = new MethodArguments();
        var overlay = new OverlayArguments();
        var output = new Option<FileInfo>("--out", "-o") { Description = "Annotated video (.mp4 as mp4v, .avi as MJPG)", Required = true };
        var timeline = new Option<FileInfo>("--timeline") { Description = "JSON Lines timeline, one line per frame", Required = true };
        var every = new Option<int>("--every") { Description = "Explain every N-th frame (the frames between show the latest heatmap)", DefaultValueFactory = _ => 1 };
        var batch = new Option<int>("--batch", "-b") { Description = "Frames per forward pass", DefaultValueFactory = _ => GradCam.Video.Pipeline.PipelineOptions.DefaultBatchSize };
        var fps = new Option<double>("--fps") { Description = "Frame rate of an image folder", DefaultValueFactory = _ => 15 };
        var top = new Option<int>("--top", "-k") { Description = "Top classes per timeline line", DefaultValueFactory = _ => 5 };
        every.Check(v => v < 1, "--every must be at least 1");
        top.Check(v => v < 1, "--top must be at least 1");
        batch.Check(v => v < 1, "--batch must be at least 1");
        fps.Check(v => !(v > 0 && double.IsFinite(v)), "--fps must be a positive number");

        var command = new Command("replay", "Explain every frame of a recorded video (or image sequence) in order: annotated video at the source's rate and size, plus a JSON Lines timeline")
        {
            input, output, timeline, every, batch, fps, top,
        };
        model.AddTo(command);
        method.AddTo(command);
        overlay.AddTo(command);
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            string inputPath = parse.GetValue(input)!;
            OutputChecks.Check([inputPath], ("--out", parse.GetValue(output)!.FullName), ("--timeline", parse.GetValue(timeline)!.FullName));
            using var source = SourceArguments.OpenFileOrFolder(inputPath, parse.GetValue(fps));
            using var classifier = model.CreateClassifier(parse);
            using var explainer = method.CreateExplainer(parse, model, classifier, showProgress: false);
            var options = new PipelineOptions
            {
                BatchSize = parse.GetValue(batch),
                Every = parse.GetValue(every),
                Target = model.ParseTarget(parse),
                TopK = parse.GetValue(top),
            };
            Console.Error.WriteLine($"replaying {source.Description} ({source.Size.Width}x{source.Size.Height} @ {source.Fps:0.##} fps" +
                                    $"{(source.FrameCount is long n ? $", {n} frames" : "")}) with {classifier.Name}, {MethodArguments.Describe(explainer)}");
            return await RunPipeline.Run(VideoExplainer.Replay(source, explainer, options), source, overlay, parse, parse.GetValue(output)!.FullName,
                                         parse.GetValue(timeline)!.FullName, window: false, token);
        }));
        return command;
    }
}
