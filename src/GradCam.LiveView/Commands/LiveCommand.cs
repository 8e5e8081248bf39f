using System.CommandLine;
using GradCam.Engine;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sources;

namespace GradCam.LiveView.Commands;

/// <summary><c>gradcam live</c>: a camera, file or piped stream explained in real time, in a window or headless.</summary>
internal static class LiveCommand
{
    public static Command Create()
    {
        var camera = new Option<int?>("--camera") { Description = "Camera index (default 0 when no other source is given)" };
        var input = new Option<string?>("--input", "-i") { Description = "A video file or image folder, played at its own frame rate" };
        var stdinRaw = new Option<string?>("--stdin-raw") { Description = "Raw BGR24 frames on stdin: WIDTHxHEIGHT[@FPS] (e.g. from ffmpeg -f rawvideo -pix_fmt bgr24 -)" };
        var headless = new Option<bool>("--headless") { Description = "No window: same pipeline, sinks only" };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Also record the composed view (.mp4 or .avi)" };
        var timeline = new Option<FileInfo?>("--timeline") { Description = "Also write a JSON Lines timeline (one line per shown frame)" };
        var batch = new Option<int>("--batch", "-b") { Description = "Frames per forward pass, at most", DefaultValueFactory = _ => 1 };
        var fps = new Option<double>("--fps") { Description = "Frame rate of an image folder", DefaultValueFactory = _ => 15 };
        var model = new ModelArguments();
        var method = new MethodArguments();
        var overlay = new OverlayArguments();
        batch.Check(v => v < 1, "--batch must be at least 1");
        camera.Check(v => v is < 0, "--camera must be 0 or more (0 is the first camera)");

        var command = new Command("live", "Explain a live source in real time: a window with the overlay and a HUD (keys: q/Esc quit, space pause, m colormap, o overlay); stale frames are dropped so latency never grows")
        {
            camera, input, stdinRaw, headless, output, timeline, batch, fps,
        };
        model.AddTo(command);
        method.AddTo(command);
        overlay.AddTo(command);
        command.Validators.Add(r =>
        {
            int given = new object?[] { r.GetValue(camera), r.GetValue(input), r.GetValue(stdinRaw) }.Count(v => v is not null);
            if (given > 1) r.AddError("choose one source: --camera, --input or --stdin-raw");
        });
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            OutputChecks.Check(parse.GetValue(input) is { } inputPath ? [inputPath] : [],
                               ("--out", parse.GetValue(output)?.FullName), ("--timeline", parse.GetValue(timeline)?.FullName));
            using var source = Open(parse.GetValue(camera), parse.GetValue(input), parse.GetValue(stdinRaw), parse.GetValue(fps));
            using var classifier = model.CreateClassifier(parse);
            using var explainer = method.CreateExplainer(parse, model, classifier, showProgress: false);
            var options = new PipelineOptions
            {
                BatchSize = parse.GetValue(batch),
                Target = model.ParseTarget(parse),
                MaxBatchWait = TimeSpan.Zero,
            };
            bool window = !parse.GetValue(headless);
            Console.Error.WriteLine($"live: {source.Description} ({source.Size.Width}x{source.Size.Height} @ {source.Fps:0.##} fps) with {classifier.Name}, {MethodArguments.Describe(explainer)}" +
                                    (window ? "; keys: q/Esc quit, space pause, m colormap, o overlay" : "; Ctrl+C stops"));
            return await RunPipeline.Run(VideoExplainer.Live(source, explainer, options), source, overlay, parse, parse.GetValue(output)?.FullName,
                                         parse.GetValue(timeline)?.FullName, window, token);
        }));
        return command;
    }

    private static IFrameSource Open(int? camera, string? input, string? stdinRaw, double fps)
    {
        if (input is not null) return SourceArguments.OpenFileOrFolder(input, fps);
        if (stdinRaw is not null)
        {
            var (size, rate) = RawStdinSource.ParseGeometry(stdinRaw);
            return new RawStdinSource(Console.OpenStandardInput(), size, rate);
        }
        return new CameraSource(camera ?? 0);
    }
}
