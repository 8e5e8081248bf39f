namespace GradCam.Evaluation;

/// <summary>How faithful one heatmap is to the model's decision for one image.</summary>
/// <param name="Target">The explained class.</param>
/// <param name="Probability">The class's softmax probability on the image (Y).</param>
/// <param name="DeletionCurve">The probability as the most salient pixels are deleted first, from 0 % to 100 % of the pixels. Lower is better.</param>
/// <param name="InsertionCurve">The probability as the most salient pixels are inserted first into a blurred image, from 0 % to 100 %. Higher is better.</param>
/// <param name="ExplanationMapProbability">The probability on the image multiplied by the heatmap (O).</param>
public sealed record FaithfulnessScore(int Target, double Probability, double[] DeletionCurve, double[] InsertionCurve, double ExplanationMapProbability)
{
    /// <summary>Area under the deletion curve (trapezoidal, over the fraction of pixels 0..1). Lower is better.</summary>
    public double DeletionAuc => Auc(DeletionCurve);

    /// <summary>Area under the insertion curve. Higher is better.</summary>
    public double InsertionAuc => Auc(InsertionCurve);

    /// <summary>Grad-CAM++'s drop, <c>max(0, Y - O) / Y</c>: how much confidence the explanation map alone loses. Lower is better.</summary>
    public double Drop => Probability > 0 ? Math.Max(0, Probability - ExplanationMapProbability) / Probability : 0;

    /// <summary>Whether the explanation map alone is more convincing than the image (<c>O &gt; Y</c>).</summary>
    public bool Increase => ExplanationMapProbability > Probability;

    /// <summary>The trapezoidal area under a curve sampled at equal steps over [0, 1].</summary>
    /// <param name="curve">At least two points.</param>
    public static double Auc(IReadOnlyList<double> curve)
    {
        if (curve.Count < 2) return curve.Count == 1 ? curve[0] : 0;
        double sum = 0;
        for (int i = 0; i < curve.Count; i++) sum += curve[i];
        return (sum - (curve[0] + curve[^1]) / 2) / (curve.Count - 1);
    }
}
