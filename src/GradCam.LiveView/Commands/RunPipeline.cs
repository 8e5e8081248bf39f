using System.CommandLine;
using GradCam.Engine;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;

namespace GradCam.LiveView.Commands;

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
            var timelineSink = timelinePath is null ? null : new TimelineSink(timelinePath, source.Size);
            if (timelineSink is not null) video.To(timelineSink);
            var windowSink = window ? new WindowSink($"gradcam - {source.Description}", settings, video.Stop, notice => Console.Error.WriteLine($"  window: {notice}")) : null;
            if (windowSink is not null) video.To(windowSink);
            video.To(new ProgressSink(video.Stats, video.ExpectedFrames));

            // First Ctrl+C or SIGTERM: stop reading, finish the batch in inference, write what was explained. Second: close
            // the files at once (still valid) and exit.
            bool interrupted;
            using (var interrupt = new Interrupt("finishing the batch in inference and closing the files...", () => StopAtOnce(video)))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(token, interrupt.Token))
            {
                await video.RunAsync(linked.Token);
                interrupted = linked.IsCancellationRequested;
            }

            var stats = video.Stats;
            var outputs = new[] { videoSink is { Written: true } ? videoSink.OutputPath : null, timelineSink is { Written: true } ? timelineSink.OutputPath : null }
                .Where(p => p is not null);
            Console.Error.WriteLine(Summary(video, windowSink) + (outputs.Any() ? " -> " + string.Join(", ", outputs) : ""));
            if (stats.Stability is { Pairs: > 0 } stability) Console.Error.WriteLine(StabilityLine(stability));
            if (stats.Written == 0 && (videoSink is not null || timelineSink is not null))
                Console.Error.WriteLine($"gradcam: warning: no frame of {source.Description} was explained: no output written (existing files are unchanged)");
            if (source is VideoFileSource { EndedEarly: true } cut)
                Console.Error.WriteLine($"gradcam: warning: {source.Description} ends after {cut.Position} of the {source.FrameCount} frames its header gives (truncated file?)");
            if (source is RawStdinSource { EndedMidFrame: true })
                Console.Error.WriteLine($"gradcam: warning: the stream on stdin ended within a frame: its incomplete last frame was dropped");
            if (source is RawStdinSource { WasEmpty: true })
                Console.Error.WriteLine($"gradcam: warning: the stream on stdin held no whole {source.Size.Width}x{source.Size.Height} frame");
            if (stats.NonFinite > 0)
                Console.Error.WriteLine($"gradcam: warning: {stats.NonFinite} frame(s) had a model output that is not finite (NaN or infinity), the first at frame {stats.FirstNonFiniteFrame}: shown without a heatmap, their timeline lines carry an error");
            if (stats.Corrupt > 0)
                Console.Error.WriteLine($"gradcam: warning: {stats.Corrupt} corrupt frame(s) of {source.Description} could not be decoded and were skipped");
            return interrupted ? 130 : 0; // q in the window is a normal end; a signal is not
        }
    }

    private static string Summary(VideoExplainer video, WindowSink? window)
    {
        var stats = video.Stats;
        return $"{(video.WasStopped ? "stopped after" : "done:")} {stats.Written} frames, {stats.Explained} explained" +
               $" in {stats.ElapsedSeconds:0.0} s ({stats.Written / Math.Max(stats.ElapsedSeconds, 1e-3):0.0} fps)" +
               $"{(stats.Dropped > 0 ? $", {stats.Dropped} dropped before inference" : "")}" +
               $"{(window is not null ? $", {window.Shown} shown in the window" : "")}";
    }

    /// <summary>The run's temporal stability in one line (the formula is in docs/video.md).</summary>
    internal static string StabilityLine(GradCam.Evaluation.TemporalStability s) => FormattableString.Invariant(
        $"temporal stability: the heat shown changed by {s.MapChange:0.0000} (1 - correlation) per explained frame, the scene by {s.SceneChange:0.0000}") +
        (s.Ratio is double r ? FormattableString.Invariant($" ({r:0.0}x the scene's change)") : " (a still scene)");

    /// <summary>A second signal: the sinks are completed now (video finalised, timeline whole) and the process exits, without waiting for the batch in inference.</summary>
    private static void StopAtOnce(VideoExplainer video)
    {
        video.Abort();
        bool closed = video.SinksCompleted.Wait(TimeSpan.FromSeconds(30));
        Console.Error.WriteLine(closed ? $"stopped at once after {video.Stats.Written} frames; the outputs are closed"
                                       : "gradcam: error: the outputs could not be closed in 30 s");
        ImmediateExit.Now(130);
    }
}
