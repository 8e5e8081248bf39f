using System.Globalization;
using System.Text;
using System.Text.Json;
using GradCam.Engine.Methods;
using GradCam.Evaluation;
using GradCam.IO;

namespace GradCam.LiveView.Evaluation;

/// <summary>One method's scores on one image.</summary>
internal sealed record EvaluationRow(string Image, string Method, int Target, string TargetLabel, FaithfulnessScore Score, bool? PointingHit, double ExplainSeconds);

/// <summary>A method's scores over all images.</summary>
internal sealed record MethodSummary(string Method, FaithfulnessSummary Faithfulness, int PointingGames, double? PointingAccuracyPercent, double ExplainSecondsPerImage);

/// <summary>
/// The results of <c>gradcam evaluate</c> and their files: <c>evaluation.csv</c> (one line per method),
/// <c>evaluation-images.csv</c> (one line per image and method), <c>evaluation.json</c> (both, with the mean curves)
/// and <c>curves.png</c>. Files are replaced atomically, so a reader never sees half a table.
/// </summary>
internal sealed class EvaluationTable(IReadOnlyList<CamMethod> methods, string model, IReadOnlyList<string> layers, int steps)
{
    private readonly List<EvaluationRow> _rows = [];

    public void Add(EvaluationRow row) => _rows.Add(row);

    public int Images => _rows.Select(r => r.Image).Distinct().Count();

    public IReadOnlyList<MethodSummary> Summaries() => methods.Select(m => CamMethods.Get(m).Name)
        .Select(name => (name, rows: _rows.Where(r => r.Method == name).ToList()))
        .Where(m => m.rows.Count > 0)
        .Select(m =>
        {
            var games = m.rows.Where(r => r.PointingHit is not null).ToList();
            return new MethodSummary(m.name, FaithfulnessSummary.Of(m.rows.Select(r => r.Score).ToList()), games.Count,
                                     games.Count == 0 ? null : 100.0 * games.Count(r => r.PointingHit == true) / games.Count,
                                     m.rows.Average(r => r.ExplainSeconds));
        }).ToList();

    /// <summary>Writes every file into <paramref name="folder"/>; returns their paths.</summary>
    public IReadOnlyList<string> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var summaries = Summaries();
        var written = new List<string>
        {
            AtomicFile.WriteText(Path.Combine(folder, "evaluation.csv"), SummaryCsv(summaries)),
            AtomicFile.WriteText(Path.Combine(folder, "evaluation-images.csv"), ImagesCsv()),
            AtomicFile.WriteText(Path.Combine(folder, "evaluation.json"), Json(summaries)),
        };
        if (summaries.Count > 0)
            written.Add(AtomicFile.Write(Path.Combine(folder, "curves.png"), path => CurvePlot.Write(path, summaries, Images, model)));
        return written;
    }

    private static string SummaryCsv(IReadOnlyList<MethodSummary> summaries)
    {
        var csv = new StringBuilder("method,images,deletion_auc,insertion_auc,average_drop_pct,increase_in_confidence_pct,pointing_games,pointing_accuracy_pct,explain_seconds_per_image\n");
        foreach (var s in summaries)
        {
            var f = s.Faithfulness;
            csv.AppendLine(string.Join(',', s.Method, f.Images, F(f.DeletionAuc), F(f.InsertionAuc), F(f.AverageDropPercent), F(f.IncreaseInConfidencePercent),
                                       s.PointingGames, s.PointingAccuracyPercent is double p ? F(p) : "", F(s.ExplainSecondsPerImage)));
        }
        return csv.ToString();
    }

    private string ImagesCsv()
    {
        var csv = new StringBuilder("image,method,target,target_label,probability,deletion_auc,insertion_auc,drop,increase,pointing_hit,explain_seconds\n");
        foreach (var r in _rows)
            csv.AppendLine(string.Join(',', Quote(r.Image), r.Method, r.Target, Quote(r.TargetLabel), F(r.Score.Probability), F(r.Score.DeletionAuc),
                                       F(r.Score.InsertionAuc), F(r.Score.Drop), r.Score.Increase ? "1" : "0",
                                       r.PointingHit switch { true => "1", false => "0", null => "" }, F(r.ExplainSeconds)));
        return csv.ToString();
    }

    private string Json(IReadOnlyList<MethodSummary> summaries) => JsonSerializer.Serialize(new
    {
        model,
        layers,
        steps,
        images = Images,
        methods = summaries.Select(s => new
        {
            method = s.Method,
            images = s.Faithfulness.Images,
            deletionAuc = s.Faithfulness.DeletionAuc,
            insertionAuc = s.Faithfulness.InsertionAuc,
            averageDropPercent = s.Faithfulness.AverageDropPercent,
            increaseInConfidencePercent = s.Faithfulness.IncreaseInConfidencePercent,
            pointingGames = s.PointingGames,
            pointingAccuracyPercent = s.PointingAccuracyPercent,
            explainSecondsPerImage = s.ExplainSecondsPerImage,
            deletionCurve = s.Faithfulness.DeletionCurve,
            insertionCurve = s.Faithfulness.InsertionCurve,
        }),
        rows = _rows.Select(r => new
        {
            image = r.Image, method = r.Method, target = r.Target, targetLabel = r.TargetLabel, probability = r.Score.Probability,
            deletionAuc = r.Score.DeletionAuc, insertionAuc = r.Score.InsertionAuc, drop = r.Score.Drop, increase = r.Score.Increase,
            pointingHit = r.PointingHit, explainSeconds = r.ExplainSeconds,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
