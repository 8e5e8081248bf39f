namespace GradCam.Models.Weights;

/// <summary>A state_dict that does not fit the model it is loaded into.</summary>
public sealed class WeightsMismatchException : FormatException
{
    /// <summary>Creates the exception from the differences found.</summary>
    /// <param name="source">The weights file, for the message.</param>
    /// <param name="missing">Model entries the file lacks.</param>
    /// <param name="unexpected">File entries the model lacks.</param>
    /// <param name="shapeMismatches">Entries whose shapes differ, described as <c>name: file [a, b] vs model [c, d]</c>.</param>
    public WeightsMismatchException(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapeMismatches)
        : base(BuildMessage(source, missing, unexpected, shapeMismatches))
    {
        Missing = missing;
        Unexpected = unexpected;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Model entries the file lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>File entries the model lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Entries whose shapes differ.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string BuildMessage(string source, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {List(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {List(unexpected)}");
        if (shapes.Count > 0) parts.Add($"shape mismatches: {List(shapes)}");
        return $"weights '{source}' do not fit the model: {string.Join("; ", parts)}";
    }

    private static string List(IReadOnlyList<string> items) =>
        items.Count <= 12 ? string.Join(", ", items) : string.Join(", ", items.Take(12)) + $", ... ({items.Count} in all)";
}
