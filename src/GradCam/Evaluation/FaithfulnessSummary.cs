namespace GradCam.Evaluation;

/// <summary>A method's faithfulness over many images.</summary>
/// <param name="Images">How many images were scored.</param>
/// <param name="DeletionAuc">Mean area under the deletion curves (lower is better).</param>
/// <param name="InsertionAuc">Mean area under the insertion curves (higher is better).</param>
/// <param name="AverageDropPercent">Average Drop, in percent (lower is better).</param>
/// <param name="IncreaseInConfidencePercent">Increase in Confidence: the share of images whose explanation map alone scores higher, in percent (higher is better).</param>
/// <param name="DeletionCurve">The mean deletion curve.</param>
/// <param name="InsertionCurve">The mean insertion curve.</param>
public sealed record FaithfulnessSummary(int Images, double DeletionAuc, double InsertionAuc, double AverageDropPercent,
                                         double IncreaseInConfidencePercent, double[] DeletionCurve, double[] InsertionCurve)
{
    /// <summary>Averages per-image scores, which must share the number of curve points.</summary>
    /// <param name="scores">At least one score.</param>
    public static FaithfulnessSummary Of(IReadOnlyList<FaithfulnessScore> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("no scores to summarise", nameof(scores));
        int points = scores[0].DeletionCurve.Length;
        double[] MeanCurve(Func<FaithfulnessScore, double[]> curve) =>
            Enumerable.Range(0, points).Select(i => scores.Average(s => curve(s)[i])).ToArray();
        return new FaithfulnessSummary(
            scores.Count,
            scores.Average(s => s.DeletionAuc),
            scores.Average(s => s.InsertionAuc),
            100 * scores.Average(s => s.Drop),
            100.0 * scores.Count(s => s.Increase) / scores.Count,
            MeanCurve(s => s.DeletionCurve),
            MeanCurve(s => s.InsertionCurve));
    }
}
