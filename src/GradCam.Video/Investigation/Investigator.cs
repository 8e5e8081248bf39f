using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;
using OpenCvSharp;
using GradCam.Models;

namespace GradCam.Video.Investigation;

/// <summary>
/// Why did the model decide that? Replays a recording through a model, finds the abrupt onsets of a class (the car
/// stopping), explains each with Grad-CAM and attributes the heat to the objects the ground truth gives (or to the hot
/// spot without one); optionally replays a second model for comparison. Writes the annotated video, the timeline and
/// <c>report.html</c> to the output folder.
/// </summary>
public sealed class Investigator
{
    /// <summary>One event with its attribution.</summary>
    /// <remarks>For a detector, <see cref="PeakInBox"/> says whether the heat peak lies inside the explained box.
    /// <see cref="HotRegions"/> lists the connected hot regions, each with the object that covers it (if any).</remarks>
    public sealed record Finding(ProbabilitySink.Event Event, IReadOnlyList<HeatAttribution.Share>? Shares,
                                 (int X, int Y, int Width, int Height)? HotSpot, double? CompareProbability, bool? TruthEvent,
                                 bool? PeakInBox = null, IReadOnlyList<HeatAttribution.HotRegion>? HotRegions = null)
    {
        /// <summary>Hot regions no object covers and that hold at least <see cref="NotableShare"/> of the heat.</summary>
        public IEnumerable<HeatAttribution.HotRegion> Unattributed => (HotRegions ?? []).Where(r => r.CoveredBy is null && r.HeatShare >= NotableShare);
    }

    /// <summary>A hot region no object covers is named in the verdict when it holds at least this share of the heat.</summary>
    public const double NotableShare = 0.10;

    /// <summary>The investigation's result.</summary>
    /// <remarks><see cref="Stability"/>: per model and smoothing setting, how much the explanations change from frame to frame.</remarks>
    public sealed record Result(string ModelName, string? CompareName, IReadOnlyList<(long Frame, double TimeMs, double P)> Series,
                                IReadOnlyList<(long Frame, double TimeMs, double P)>? CompareSeries, IReadOnlyList<Finding> Findings,
                                IReadOnlyList<TruthFrame>? Truth, string Verdict, string ReportPath, string VideoPath, string TimelinePath,
                                double Fps, int Width, int Height, int? CompareEvents, IReadOnlyList<StabilityRow>? Stability = null);

    /// <summary>The temporal stability of one model's explanations (its method) under one smoothing setting.</summary>
    public sealed record StabilityRow(string Model, string Method, GradCam.Evaluation.SmoothedStability Measured);

    /// <summary>Runs the investigation.</summary>
    public static async Task<Result> RunAsync(InvestigationOptions options, ImageClassifier model, ImageClassifier? compare, TextWriter log, CancellationToken token = default)
    {
        options.Validate();
        var (clipFrames, clipSize) = Probe(options.Clip);
        var truth = options.TruthPath is null ? null : TruthFile.Load(options.TruthPath);
        if (truth is not null) TruthFile.CheckMatches(truth, options.TruthPath!, options.Clip, clipFrames, clipSize.Width, clipSize.Height);
        var eventTarget = EventTarget.For(model, options.EventClass);
        if (compare is not null) EventTarget.For(compare, options.EventClass);
        Directory.CreateDirectory(options.OutDir);

        string video = Path.Combine(options.OutDir, "annotated.mp4"), timeline = Path.Combine(options.OutDir, "timeline.jsonl");
        var (main, mainStability) = await Replay(options, options.Explainer, model, eventTarget, options.OutDir, video, timeline, log, token);
        var stability = Rows(model.Name, options.Explainer.Method, mainStability);
        ProbabilitySink? other = null;
        if (compare is not null)
        {
            log.WriteLine($"comparing with {compare.Name}");
            var settings = options.Explainer.Clone();
            settings.Layers = []; // another network: its own default layer
            (other, var otherStability) = await Replay(options, settings, compare, EventTarget.For(compare, options.EventClass), null, null, null, log, token);
            stability.AddRange(Rows(compare.Name, settings.Method, otherStability));
        }

        using var source = new VideoFileSource(options.Clip);
        int w = source.Size.Width, h = source.Size.Height;
        var truthByFrame = truth?.ToDictionary(t => t.Frame);
        var compareByFrame = other?.Series.ToDictionary(s => s.Frame, s => s.Probability);
        var findings = main.Events.Select(e =>
        {
            var frameTruth = truthByFrame?.GetValueOrDefault((int)e.Frame);
            double? cmp = compareByFrame is not null && compareByFrame.TryGetValue(e.Frame, out double p) ? p : null;
            // The classifier's pointing-game rule, tolerance included; box and heatmap are both in model-input pixels.
            var hm = e.Explanation.Heatmap;
            bool? peakInBox = e.Explanation.Detection is { Box: var b }
                ? GradCam.Evaluation.PointingGame.Hit(hm, [new GradCam.Evaluation.PixelBox((int)b.X1, (int)b.Y1, Math.Max(1, (int)Math.Ceiling(b.Width)), Math.Max(1, (int)Math.Ceiling(b.Height)))], hm.Width, hm.Height)
                : null;
            return new Finding(e, frameTruth is null ? null : HeatAttribution.Shares(e.Explanation.Heatmap, frameTruth.Objects, w, h),
                               frameTruth is null ? HeatAttribution.HotSpot(e.Explanation.Heatmap, w, h) : null, cmp, frameTruth?.Event, peakInBox,
                               HeatAttribution.HotRegions(e.Explanation.Heatmap, frameTruth?.Objects, w, h));
        }).ToList();

        string verdict = Verdict(findings, model.Name, compare?.Name, options.EventClass, options.Thresholds.On, options.Story, w, h);
        string report = Path.Combine(options.OutDir, "report.html");
        var result = new Result(model.Name, compare?.Name, main.Series, other?.Series, findings, truth, verdict, report, video, timeline, source.Fps, w, h, other?.EventCount, stability);
        ReportWriter.Write(result, options);
        return result;
    }

    /// <summary>The clip's frame count and size; a clip without one decodable frame is refused before any work.</summary>
    private static (long? Frames, Size Size) Probe(string clip)
    {
        using var source = new VideoFileSource(clip);
        using var first = new Mat();
        if (source.Read(first) != FrameReadResult.Frame)
            throw new InvalidDataException($"clip '{clip}' holds no decodable frame: nothing to investigate");
        return (source.FrameCount, source.Size);
    }

    private static List<StabilityRow> Rows(string model, GradCam.Engine.Methods.CamMethod method, StabilitySink sink) =>
        sink.Results.Select(s => new StabilityRow(model, GradCam.Engine.Methods.CamMethods.Get(method).Name, s)).ToList();

    private static async Task<(ProbabilitySink Events, StabilitySink Stability)> Replay(InvestigationOptions options, ExplainerOptions settings, ImageClassifier model, EventTarget eventTarget, string? imageDir,
                                                      string? video, string? timeline, TextWriter log, CancellationToken token)
    {
        using var source = new VideoFileSource(options.Clip);
        using var explainer = new GradCamExplainer(model, settings);
        var sink = new ProbabilitySink(eventTarget.Confidence, new EventDetector { Thresholds = options.Thresholds }, imageDir);
        var stability = new StabilitySink(new GradCam.Evaluation.SmoothingSweep(options.StabilityEmas, ShownScale));
        using var replay = VideoExplainer.Replay(source, explainer, new PipelineOptions { BatchSize = options.BatchSize, Target = eventTarget.Target, TopK = Math.Max(1, model.Labels.Count) })
            .Overlay(new OverlaySettings(), new HeatmapSmoother { Normalization = ShownScale })
            .To(sink)
            .To(stability);
        replay.To(new ProgressSink(replay.Stats, source.FrameCount, log));
        if (video is not null) replay.To(new VideoFileSink(video, source.Fps, source.Size));
        if (timeline is not null) replay.To(new TimelineSink(timeline, source.Size));
        await replay.RunAsync(token);
        if (source.EndedEarly) log.WriteLine($"warning: {source.Description} ends after {source.Position} of the {source.FrameCount} frames its header gives (truncated file?)");
        if (replay.Stats.Corrupt > 0) log.WriteLine($"warning: {replay.Stats.Corrupt} corrupt frame(s) of {source.Description} could not be decoded and were skipped");
        return (sink, stability);
    }

    /// <summary>How the annotated video scales its heat (without smoothing); the stability table uses the same scale.</summary>
    public const HeatmapNormalization ShownScale = HeatmapNormalization.Running;

    private static string Verdict(IReadOnlyList<Finding> findings, string model, string? compare, string eventClass, double on, InvestigationStory story,
                                  int width, int height)
    {
        if (findings.Count == 0) return $"no abrupt '{eventClass}' event: {model}'s P({eventClass}) never rose above {on:0.##} after a calm stretch.";
        var parts = findings.Select(f =>
        {
            string when = Clock(f.Event.TimeMs);
            // A detector's event is a box: say which, where its heat is, and what else the heat covers.
            if (f.Event.Explanation.Detection is { } box)
                return $"a {box.Label} detected at {when} (score {box.Score:0.00}, box {box.Box} in model-input pixels): " +
                       $"the heat peak is {(f.PeakInBox == true ? "on" : "off")} the box" + Attribution(f, eventClass, story, reasons: false, width, height);
            string what = Attribution(f, eventClass, story, reasons: true, width, height).TrimStart(';', ' ');
            string other = compare is null || f.CompareProbability is not double cp ? ""
                : story.Compared(compare, eventClass, agrees: cp >= on, cp);
            return $"abrupt {eventClass} at {when} (P={f.Event.Probability:0.00}): {what}{other}";
        });
        return string.Join(". ", parts) + ".";
    }

    /// <summary>What the heat covers: the truth objects' shares, or the hot spot without truth; prefixed "; ".</summary>
    private static string Attribution(Finding f, string eventClass, InvestigationStory story, bool reasons, int width, int height)
    {
        string also = string.Concat(f.Unattributed.Where(r => f.Shares is not null || !r.HoldsPeak)
            .Select(r => $"; also hot: a region at {r.Where(width, height)} (x={r.X}..{r.X + r.Width}, y={r.Y}..{r.Y + r.Height}), {r.HeatShare:P0} of the heat{(f.Shares is null ? "" : ", on no object")}"));
        if (f.Shares is { Count: > 0 } shares)
        {
            var top = shares[0];
            // The concentration carries the meaning: a small box holding 2 % of the heat may hold 7x its area's share.
            string what = top.HoldsPeak
                ? $"the model attended to the {top.Object.Name} (its box holds {Times(top.Concentration)} its area's share of the heat, {top.HeatShare:P0} in {top.AreaShare:P1} of the frame, and the peak)"
                : $"the heat peaked outside every object; the {top.Object.Name} holds the most heat ({top.HeatShare:P0}, {Times(top.Concentration)} its area's share)";
            if (reasons && !top.Object.Reason && f.TruthEvent == false) what += story.Reason(eventClass, isReason: false);
            else if (reasons && top.Object.Reason) what += story.Reason(eventClass, isReason: true);
            return "; " + what + also;
        }
        if (f.HotSpot is { } spot)
            return $"; the model attended to the region at x={spot.X}..{spot.X + spot.Width}, y={spot.Y}..{spot.Y + spot.Height} (no ground truth given)" + also;
        return reasons ? "; no attribution" : "";
    }

    /// <summary>A concentration in words: <c>7×</c>, <c>1.5×</c>, <c>0.4×</c>.</summary>
    private static string Times(double concentration) =>
        concentration >= 10 ? $"{concentration:0}×" : $"{concentration:0.#}×";

    /// <summary>mm:ss.t</summary>
    public static string Clock(double ms) => $"{(int)(ms / 60000):00}:{ms / 1000 % 60:00.0}";
}
