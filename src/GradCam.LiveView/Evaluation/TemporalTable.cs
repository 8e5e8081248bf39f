using System.Globalization;
using System.Text;
using System.Text.Json;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Evaluation;
using GradCam.Imaging;
using GradCam.IO;

namespace GradCam.LiveView.Evaluation;

/// <summary>One method's change at one frame under one smoothing setting.</summary>
internal sealed record TemporalRow(string Frame, string Method, float Ema, FrameChange Change);

/// <summary>A method's temporal stability under one smoothing setting, and its speed.</summary>
internal sealed record TemporalSummary(string Method, SmoothedStability Measured, double ExplainSecondsPerFrame);

/// <summary>
/// The results of <c>gradcam evaluate --temporal</c> and their files: <c>temporal.csv</c> (one line per method and
/// smoothing setting), <c>temporal-frames.csv</c> (one line per frame pair), <c>temporal.json</c> (both, with the
/// formula) and <c>temporal.png</c> (each method's change over time beside the scene's). Files are replaced atomically.
/// </summary>
internal sealed class TemporalTable
{
    private readonly IReadOnlyList<string> _methods;
    private readonly Dictionary<string, SmoothingSweep> _sweeps = [];
    private readonly Dictionary<string, List<double>> _seconds = [];
    private readonly List<TemporalRow> _rows = [];
    private readonly HashSet<string> _frames = [];
    private readonly string _model;
    private readonly IReadOnlyList<string> _layers;
    private readonly HeatmapNormalization _normalization;

    public TemporalTable(IReadOnlyList<CamMethod> methods, IReadOnlyList<float> emas, HeatmapNormalization normalization, string model, IReadOnlyList<string> layers)
    {
        _methods = methods.Select(m => CamMethods.Get(m).Name).ToArray();
        foreach (var name in _methods)
        {
            _sweeps[name] = new SmoothingSweep(emas, normalization);
            _seconds[name] = [];
        }
        _normalization = normalization;
        _model = model;
        _layers = layers;
    }

    /// <summary>Frames measured (the first of a run has no pair).</summary>
    public int Images => _frames.Count;

    /// <summary>Adds a method's explanation of the next frame; returns its change under no smoothing (the first setting).</summary>
    public FrameChange? Add(string frame, string method, CamMap cam, OpenCvSharp.Mat image, double seconds)
    {
        _frames.Add(frame);
        _seconds[method].Add(seconds);
        var sweep = _sweeps[method];
        var changes = sweep.Add(cam, image);
        for (int i = 0; i < changes.Count; i++)
            if (changes[i] is { } c) _rows.Add(new TemporalRow(frame, method, sweep.Emas[i], c));
        return changes[0];
    }

    public IReadOnlyList<TemporalSummary> Summaries() => _methods
        .Where(m => _seconds[m].Count > 0)
        .SelectMany(m => _sweeps[m].Results.Select(r => new TemporalSummary(m, r, _seconds[m].Average())))
        .ToList();

    /// <summary>Writes every file into <paramref name="folder"/>; returns their paths.</summary>
    public IReadOnlyList<string> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var summaries = Summaries();
        var written = new List<string>
        {
            AtomicFile.WriteText(Path.Combine(folder, "temporal.csv"), SummaryCsv(summaries)),
            AtomicFile.WriteText(Path.Combine(folder, "temporal-frames.csv"), FramesCsv()),
            AtomicFile.WriteText(Path.Combine(folder, "temporal.json"), Json(summaries)),
        };
        if (_rows.Count > 0)
            written.Add(AtomicFile.Write(Path.Combine(folder, "temporal.png"), path => StabilityPlot.Write(path, _methods, _rows, _model)));
        return written;
    }

    private static string SummaryCsv(IReadOnlyList<TemporalSummary> summaries)
    {
        var csv = new StringBuilder("method,ema,pairs,map_change,heat_change,scene_change,map_over_scene,explain_seconds_per_frame\n");
        foreach (var s in summaries)
        {
            var t = s.Measured.Stability;
            csv.AppendLine(string.Join(',', s.Method, F(s.Measured.Ema), t.Pairs, F(t.MapChange), F(t.HeatChange), F(t.SceneChange),
                                       t.Ratio is double r ? F(r) : "", F(s.ExplainSecondsPerFrame)));
        }
        return csv.ToString();
    }

    private string FramesCsv()
    {
        var csv = new StringBuilder("frame,method,ema,map_change,heat_change,scene_change\n");
        foreach (var r in _rows)
            csv.AppendLine(string.Join(',', r.Frame.Contains(',') ? $"\"{r.Frame.Replace("\"", "\"\"")}\"" : r.Frame, r.Method, F(r.Ema),
                                       F(r.Change.Map), F(r.Change.Heat), F(r.Change.Scene)));
        return csv.ToString();
    }

    private string Json(IReadOnlyList<TemporalSummary> summaries) => JsonSerializer.Serialize(new
    {
        model = _model,
        layers = _layers,
        normalization = _normalization.ToString(),
        frames = Images,
        formula = TemporalStability.Formula,
        methods = summaries.Select(s => new
        {
            method = s.Method,
            ema = s.Measured.Ema,
            pairs = s.Measured.Stability.Pairs,
            mapChange = s.Measured.Stability.MapChange,
            heatChange = s.Measured.Stability.HeatChange,
            sceneChange = s.Measured.Stability.SceneChange,
            mapOverScene = s.Measured.Stability.Ratio,
            explainSecondsPerFrame = s.ExplainSecondsPerFrame,
        }),
        pairs = _rows.Select(r => new { frame = r.Frame, method = r.Method, ema = r.Ema, map = r.Change.Map, heat = r.Change.Heat, scene = r.Change.Scene }),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
