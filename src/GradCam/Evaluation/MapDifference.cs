namespace GradCam.Evaluation;

/// <summary>How different two maps of the same grid are: in shape (decorrelation) and in value (mean absolute difference).</summary>
public static class MapDifference
{
    /// <summary>
    /// <c>1 − r</c>, with <c>r</c> the Pearson correlation of the two maps' cells: 0 for maps of the same shape (whatever
    /// their scale or offset), 1 for unrelated maps, 2 for opposite ones. Correlation ignores a map's brightness, as a
    /// per-frame normalisation does, so it measures how the pattern moves. A flat map has no pattern: two flat maps
    /// differ by 0, a flat and a patterned one by 1.
    /// </summary>
    /// <param name="a">One map's cells.</param>
    /// <param name="b">The other's, as many.</param>
    /// <exception cref="ArgumentException">The maps hold different numbers of cells.</exception>
    public static double Decorrelation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(a, b);
        double meanA = Mean(a), meanB = Mean(b);
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            ab += da * db;
            aa += da * da;
            bb += db * db;
        }
        // Float noise on a flat map is no pattern: a relative floor keeps it from being read as one.
        bool flatA = aa <= 1e-12 * Math.Max(1, meanA * meanA) * a.Length, flatB = bb <= 1e-12 * Math.Max(1, meanB * meanB) * b.Length;
        if (flatA || flatB) return flatA && flatB ? 0 : 1;
        return Math.Clamp(1 - ab / Math.Sqrt(aa * bb), 0, 2);
    }

    /// <summary>The mean absolute difference of the cells, <c>mean |a − b|</c>: for heat in [0, 1], how much brightness changes.</summary>
    /// <param name="a">One map's cells.</param>
    /// <param name="b">The other's, as many.</param>
    /// <exception cref="ArgumentException">The maps hold different numbers of cells.</exception>
    public static double MeanAbsolute(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(a, b);
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += Math.Abs(a[i] - b[i]);
        return a.Length == 0 ? 0 : sum / a.Length;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return values.Length == 0 ? 0 : sum / values.Length;
    }

    private static void Check(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"maps of {a.Length} and {b.Length} cells cannot be compared", nameof(b));
    }
}
