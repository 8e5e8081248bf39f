using GradCam.Engine;
using GradCam.Video;
using OpenCvSharp;

namespace GradCam.Video.Investigation;

/// <summary>
/// Collects, per frame of a replay, the probability of the event class, and for frames where an abrupt event starts,
/// keeps the frame, its overlay and its explanation for the report.
/// </summary>
public sealed class ProbabilitySink : IFrameSink
{
    private readonly Func<Explanation, double> _probability;
    private readonly EventDetector _detector;
    private readonly string? _imageDir;

    /// <summary>An event as found in the replay.</summary>
    public sealed record Event(long Frame, double TimeMs, double Probability, Explanation Explanation, string FramePng, string OverlayPng);

    /// <summary>Collects a class's probabilities; writes event images to <paramref name="imageDir"/> when given.</summary>
    public ProbabilitySink(int eventClass, EventDetector detector, string? imageDir)
        : this(e => e.Probabilities[eventClass], detector, imageDir)
    {
    }

    /// <summary>Collects any per-frame confidence (a detector's: the score of the box explained, 0 without one).</summary>
    /// <param name="probability">The event's confidence in a frame's explanation.</param>
    /// <param name="detector">Finds the abrupt onsets.</param>
    /// <param name="imageDir">Where event images go; none are written when null.</param>
    public ProbabilitySink(Func<Explanation, double> probability, EventDetector detector, string? imageDir)
    {
        _probability = probability;
        _detector = detector;
        _imageDir = imageDir;
    }

    /// <summary>P(event) per frame, in frame order.</summary>
    public List<(long Frame, double TimeMs, double Probability)> Series { get; } = [];

    /// <summary>The abrupt events, with their images (kept only when an image folder is given).</summary>
    public List<Event> Events { get; } = [];

    /// <summary>How many abrupt events the detector found, images or not.</summary>
    public int EventCount { get; private set; }

    /// <inheritdoc />
    public void Write(Frame frame)
    {
        if (frame.Explanation is not { } e) return;
        double p = _probability(e);
        Series.Add((frame.Index, frame.TimestampMs, p));
        if (!_detector.Next(p)) return;
        EventCount++;
        if (_imageDir is null) return;
        string stem = $"event-{frame.Index:D5}";
        string framePng = Path.Combine(_imageDir, stem + ".frame.png"), overlayPng = Path.Combine(_imageDir, stem + ".gradcam.png");
        frame.Image.SaveImage(framePng);
        using (var overlay = GradCam.Imaging.HeatmapOverlay.BlendByHeat(frame.Image, e.Heatmap, GradCam.Imaging.Colormap.Jet, 0.6))
        {
            GradCam.Imaging.DetectionOverlay.Draw(overlay, e);
            overlay.SaveImage(overlayPng);
        }
        Events.Add(new Event(frame.Index, frame.TimestampMs, p, e, Path.GetFileName(framePng), Path.GetFileName(overlayPng)));
    }

    /// <inheritdoc />
    public void Complete() { }

    /// <inheritdoc />
    public void Dispose() { }
}
