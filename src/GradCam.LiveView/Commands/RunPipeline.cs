using System.CommandLine;
using GradCam.Engine;
using GradCam.LiveView.Pipeline;
using GradCam.LiveView.Sinks;
using GradCam.LiveView.Sources;

namespace GradCam.LiveView.Commands;

/// <summary>Builds the sinks a command asked for, runs the pipeline with Ctrl+C handling, and reports.</summary>
internal static class RunPipeline
{
    public static async Task<int> Run(IFrameSource source, GradCamExplainer explainer, OverlayArguments overlay, ParseResult parse,
                                      PipelineOptions options, string? videoPath, string? timelinePath, bool window, CancellationToken token)
    {
        var stats = new PipelineStats();
        var settings = overlay.Settings(parse);
        var composer = new FrameComposer(settings, overlay.Smoother(parse), stats);
        var sinks = new List<IFrameSink>();
        ExplainPipeline? pipeline = null;
        try
        {
            VideoFileSink? video = videoPath is null ? null : new VideoFileSink(videoPath, source.Fps, source.Size);
            if (video is not null) sinks.Add(video);
            TimelineSink? timeline = timelinePath is null ? null : new TimelineSink(timelinePath, source.Size);
            if (timeline is not null) sinks.Add(timeline);
            WindowSink? windowSink = window ? new WindowSink($"gradcam - {source.Description}", settings, () => pipeline?.Stop()) : null;
            if (windowSink is not null) sinks.Add(windowSink);
            sinks.Add(new ProgressSink(stats, options.Policy == PipelinePolicy.Replay ? source.FrameCount : null));

            pipeline = new ExplainPipeline(source, explainer, composer, sinks, options, stats);
            bool cancelled;
            // First Ctrl+C: stop cleanly (video finalised, timeline complete).
            using (var interrupt = new Interrupt("finishing the frames in flight..."))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(token, interrupt.Token))
            {
                await pipeline.RunAsync(linked.Token);
                cancelled = linked.IsCancellationRequested;
            }

            var outputs = new[] { video?.OutputPath, timeline is null ? null : Path.GetFullPath(timelinePath!) }.Where(p => p is not null);
            Console.Error.WriteLine($"{(cancelled ? "stopped after" : "done:")} {stats.Written} frames, {stats.Explained} explained" +
                                    $" in {stats.ElapsedSeconds:0.0} s ({stats.Written / Math.Max(stats.ElapsedSeconds, 1e-3):0.0} fps)" +
                                    $"{(stats.Dropped > 0 ? $", {stats.Dropped} dropped before inference" : "")}" +
                                    $"{(windowSink is not null ? $", {windowSink.Shown} shown in the window" : "")}" +
                                    $"{(outputs.Any() ? " -> " + string.Join(", ", outputs) : "")}");
            if (stats.Corrupt > 0)
                Console.Error.WriteLine($"gradcam: warning: {stats.Corrupt} corrupt frame(s) of {source.Description} could not be decoded and were skipped");
            return cancelled ? 130 : 0;
        }
        finally
        {
            foreach (var sink in sinks) sink.Dispose();
        }
    }
}
