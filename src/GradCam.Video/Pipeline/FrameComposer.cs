using GradCam.Engine;
using GradCam.Evaluation;
using GradCam.Imaging;
using OpenCvSharp;

namespace GradCam.Video.Pipeline;

/// <summary>Draws a frame as shown: heat overlay (smoothed and normalised across frames) and HUD.</summary>
public sealed class FrameComposer
{
    private readonly HeatmapSmoother _smoother;
    private readonly PipelineStats _stats;
    private readonly TemporalStabilityMeter _stability = new();
    private long _lastExplained = -1;
    private CamMap? _lastHeat;

    /// <summary>Creates a composer.</summary>
    public FrameComposer(OverlaySettings settings, HeatmapSmoother smoother, PipelineStats stats)
    {
        Settings = settings;
        _smoother = smoother;
        _stats = stats;
    }

    /// <summary>The drawing settings.</summary>
    public OverlaySettings Settings { get; }

    /// <summary>Composes <see cref="Frame.Composed"/> from the frame and the explanation it carries.</summary>
    public void Compose(Frame frame)
    {
        var e = frame.Explanation is { IsFinite: true } finite ? finite : null; // NaN would poison the running scale
        // Smooth once per explanation, not once per displayed frame (live mode shows one explanation many times).
        if (e is not null && frame.ExplainedFrame != _lastExplained)
        {
            _lastHeat = _smoother.Next(e.Cam);
            _lastExplained = frame.ExplainedFrame;
            // The heat as shown (smoothed, normalised) against the previous one, and the scene against its own (the
            // pipeline sets Scene with every explanation).
            frame.Change = _stability.Add(_lastHeat, frame.Scene!);
            _stats.OnStability(_stability.Total, _stability.Recent);
        }

        Mat composed;
        if (_lastHeat is null || !Settings.ShowOverlay)
            composed = frame.Image.Clone();
        else if (Settings.Edges)
            composed = HeatmapOverlay.Edges(frame.Image, _lastHeat, Settings.Colormap);
        else if (Settings.HeatWeighted)
            composed = HeatmapOverlay.BlendByHeat(frame.Image, _lastHeat, Settings.Colormap, Settings.Alpha);
        else
            composed = HeatmapOverlay.Blend(frame.Image, _lastHeat, Settings.Colormap, Settings.Alpha);
        if (_lastHeat is not null && Settings.ShowOverlay && Settings.ColourBar) ColourBar.Draw(composed, Settings.Colormap, ScaleName);
        if (e is { Detections.Count: > 0 } && Settings.ShowOverlay) DetectionOverlay.Draw(composed, e);
        if (Settings.Hud) DrawHud(composed, frame.Explanation);
        frame.Composed = composed;
    }

    /// <summary>What full heat means in the scale in use, for the colour bar.</summary>
    private string ScaleName => _smoother.Normalization switch
    {
        HeatmapNormalization.Frame => "per frame",
        HeatmapNormalization.Running => "running max",
        _ => FormattableString.Invariant($"fixed {_smoother.FixedScale:0.###}"),
    };

    private void DrawHud(Mat image, Explanation? e)
    {
        string label = e is null ? "waiting for the model..." : !e.IsFinite ? "the model's output is not finite (NaN)" : e.Headline;
        string stats = $"model {_stats.ModelFps:0.0} fps  latency {_stats.LatencyMs:0} ms  dropped {_stats.Dropped}";
        if (_stats.RecentStability is { Pairs: > 0 } recent) stats += FormattableString.Invariant($"  map change {recent.MapChange:0.000} (scene {recent.SceneChange:0.000})");
        double scale = Math.Clamp(image.Width / 900.0, 0.4, 1.2);
        int line = (int)(28 * scale);
        using (var band = new Mat(image, new Rect(0, 0, image.Width, Math.Min(image.Height, 2 * line + 8))))
        using (var dark = new Mat(band.Size(), band.Type(), Scalar.Black))
            Cv2.AddWeighted(band, 0.45, dark, 0.55, 0, band);
        Cv2.PutText(image, label, new Point(8, line), HersheyFonts.HersheySimplex, 0.8 * scale, Scalar.White, Math.Max(1, (int)(2 * scale)), LineTypes.AntiAlias);
        Cv2.PutText(image, stats, new Point(8, 2 * line), HersheyFonts.HersheySimplex, 0.6 * scale, new Scalar(200, 255, 200), 1, LineTypes.AntiAlias);
    }
}
