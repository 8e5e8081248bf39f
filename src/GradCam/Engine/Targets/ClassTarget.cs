namespace GradCam.Engine.Targets;

/// <summary>
/// A class of a classifier: <c>y = z_c</c>, the class's raw score (logit) in the model's first output <c>[N, classes]</c>,
/// before any softmax. By index, by label, or the image's top-1 class (<see cref="ExplainTarget.TopClass"/>).
/// </summary>
public sealed class ClassTarget : ExplainTarget
{
    internal ClassTarget(int? index, string? label)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), $"a class index is 0 or more, got {index}");
        Index = index;
        Label = label;
    }

    /// <summary>The class index; null when given by label or for the top class.</summary>
    public int? Index { get; }

    /// <summary>The class label; null when given by index or for the top class.</summary>
    public string? Label { get; }

    /// <summary>Whether this is the top-1 class of each image.</summary>
    public bool IsTop => Index is null && Label is null;

    /// <inheritdoc />
    public override string Formula => IsTop ? "y = z_c, c = argmax_k z_k" : $"y = z_c, c = {this}";

    /// <summary>The class index among <paramref name="labels"/>: the index itself, or the label's position.</summary>
    /// <param name="labels">The model's labels.</param>
    /// <param name="classes">How many classes the model scores.</param>
    /// <param name="model">The model's name, for messages.</param>
    /// <exception cref="ArgumentException">No such class; the message gives the count or the labels.</exception>
    public int Resolve(IReadOnlyList<string> labels, int classes, string model)
    {
        if (Label is not null)
        {
            for (int i = 0; i < labels.Count; i++)
                if (string.Equals(labels[i], Label, StringComparison.Ordinal)) return i;
            var near = labels.Where(l => string.Equals(l, Label, StringComparison.OrdinalIgnoreCase)).ToList();
            throw new ArgumentException($"target '{Label}' is not a class of {model}" +
                                        (near.Count > 0 ? $" (did you mean '{near[0]}'?)"
                                         : labels.Count <= 20 ? $"; its {labels.Count} classes are {string.Join(", ", labels)}" : $"; it has {labels.Count} labelled classes"));
        }
        int index = Index ?? throw new InvalidOperationException("the top class is resolved from the scores");
        if (index >= classes)
            throw new ArgumentException($"target class {index} is out of range: {model} has {classes} classes (0..{classes - 1})");
        return index;
    }

    internal override ResolvedTarget Resolve(TargetContext context, int item)
    {
        var logits = context.Outputs[0];
        if (logits.dim() != 2)
            throw new ArgumentException($"a class target needs class scores [N, classes]; {context.Model.Name}'s first output '{context.OutputNames[0]}' is [{string.Join(", ", logits.shape)}]"
                                        + (context.Decoder is not null ? ": explain a box (box:N) of a detector" : ": name an output element (output:NAME[i])"));
        int classes = (int)logits.shape[1];
        int c = IsTop ? (int)logits[item].argmax().item<long>() : Resolve(context.Model.Labels, classes, context.Model.Name);
        return new ResolvedTarget(IsTop ? Class(c) : this, c, context.Model.LabelOf(c), outputs => outputs[0][.., c])
        {
            Confidence = outputs => TorchSharp.torch.nn.functional.softmax(outputs[0], 1)[.., c],
        };
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsTop ? "top" : Index is int i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Label == "top" || Label!.Length == 0 || int.TryParse(Label, out _) || Label.Contains(':') || Label.StartsWith('-') ? $"class:{Label}" : Label;
}
