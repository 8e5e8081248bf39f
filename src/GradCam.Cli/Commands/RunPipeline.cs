using System.CommandLine;
using GradCam.Engine;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;

namespace GradCam.Cli.Commands;

/// <summary>Builds the sinks a command asked for, runs the video explainer with Ctrl+C handling, and reports.</summary>
internal static class RunPipeline
{
    public static async Task<int> Run(VideoExplainer video, IFrameSource source, OverlayArguments overlay, ParseResult parse,
                                      string? videoPath, string? timelinePath, bool window, CancellationToken token)
    {
        using (video)
        {
            var settings = overlay.Settings(parse);
            video.Overlay(settings, overlay.Smoother(parse));
            var videoSink = videoPath is null ? null : new VideoFileSink(videoPath, source.Fps, source.Size);
            if (videoSink is not null) video.To(videoSink);
            if (timelinePath is not null) video.To(new TimelineSink(timelinePath, source.Size));
            var windowSink = window ? new WindowSink($"gradcam - {source.Description}", settings, video.Stop) : null;
            if (windowSink is not null) video.To(windowSink);
            video.To(new ProgressSink(video.Stats, video.ExpectedFrames));

            // First Ctrl+C: stop cleanly (video finalised, timeline complete).
            using (var interrupt = new Interrupt("finishing the frames in flight..."))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(token, interrupt.Token))
                await video.RunAsync(linked.Token);

            var stats = video.Stats;
            var outputs = new[] { videoSink?.OutputPath, timelinePath is null ? null : Path.GetFullPath(timelinePath) }.Where(p => p is not null);
            Console.Error.WriteLine($"{(video.WasStopped ? "stopped after" : "done:")} {stats.Written} frames, {stats.Explained} explained" +
                                    $" in {stats.ElapsedSeconds:0.0} s ({stats.Written / Math.Max(stats.ElapsedSeconds, 1e-3):0.0} fps)" +
                                    $"{(stats.Dropped > 0 ? $", {stats.Dropped} dropped before inference" : "")}" +
                                    $"{(windowSink is not null ? $", {windowSink.Shown} shown in the window" : "")}" +
                                    $"{(outputs.Any() ? " -> " + string.Join(", ", outputs) : "")}");
            if (stats.Corrupt > 0)
                Console.Error.WriteLine($"gradcam: warning: {stats.Corrupt} corrupt frame(s) of {source.Description} could not be decoded and were skipped");
            return video.WasStopped ? 130 : 0;
        }
    }
}
