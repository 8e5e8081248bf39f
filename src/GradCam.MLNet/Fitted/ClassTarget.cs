namespace GradCam.MLNet;

/// <summary>A class to explain: by index (from 0, ML.NET's key minus one) or by its label value.</summary>
public sealed record ClassTarget
{
    private ClassTarget(int? index, string? label)
    {
        Index = index;
        Label = label;
    }

    /// <summary>The class index, when given by index.</summary>
    public int? Index { get; }

    /// <summary>The label value, when given by label.</summary>
    public string? Label { get; }

    /// <summary>A class by index.</summary>
    public static implicit operator ClassTarget(int index) => new(index, null);

    /// <summary>A class by label value.</summary>
    public static implicit operator ClassTarget(string label) => new(null, label);

    /// <summary>The index of this class among <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such class; the message lists the labels.</exception>
    public int Resolve(IReadOnlyList<string> labels)
    {
        int index = Index ?? labels.ToList().FindIndex(l => string.Equals(l, Label, StringComparison.Ordinal));
        if (index < 0 || index >= labels.Count)
            throw new ArgumentOutOfRangeException(nameof(FittedModelOptions.Target),
                $"target {(Label is null ? $"index {Index}" : $"'{Label}'")} is not a class of the model; its {labels.Count} classes are {string.Join(", ", labels)}");
        return index;
    }

    /// <inheritdoc />
    public override string ToString() => Label ?? Index!.Value.ToString();
}
