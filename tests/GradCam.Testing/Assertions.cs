using static TorchSharp.torch;

namespace GradCam.Testing;

/// <summary>Comparisons of tensors and of numbers against a reference, with tolerances.</summary>
public static class Assertions
{
    /// <summary>Same shape, dtype and values (torch.equal).</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }

    /// <summary>Asserts |a - e| &lt;= rel * max|e| + abs element-wise, naming the first offending index.</summary>
    public static void Close(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double rel, double abs = 1e-7, string what = "values")
    {
        Xunit.Assert.Equal(expected.Count, actual.Count);
        double scale = expected.Count == 0 ? 0 : expected.Max(v => Math.Abs((double)v));
        for (int i = 0; i < expected.Count; i++)
        {
            double diff = Math.Abs(expected[i] - actual[i]);
            if (diff > rel * scale + abs)
                Xunit.Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]} (|diff| {diff:g3} > {rel * scale + abs:g3})");
        }
    }
}
