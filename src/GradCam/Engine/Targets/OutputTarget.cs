using static TorchSharp.torch;

namespace GradCam.Engine.Targets;

/// <summary>
/// One element of a model output, for regressors and multi-head models: <c>y = s · o[k]</c> with <c>o</c> the named
/// output of the image flattened, <c>k</c> the element and <c>s = -1</c> when negated (what pushes the value down),
/// otherwise 1.
/// </summary>
public sealed class OutputTarget : ExplainTarget
{
    internal OutputTarget(string? output, int index, bool negate)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), $"an output element's index is 0 or more, got {index}");
        OutputName = output;
        Index = index;
        Negate = negate;
    }

    /// <summary>The output's name; the first output when null.</summary>
    public string? OutputName { get; }

    /// <summary>The element within one image's output, flattened.</summary>
    public int Index { get; }

    /// <summary>Whether the value is negated.</summary>
    public bool Negate { get; }

    /// <inheritdoc />
    public override string Formula => $"y = {(Negate ? "-" : "")}{OutputName ?? "output"}[{Index}]";

    internal override ResolvedTarget Resolve(TargetContext context, int item)
    {
        int output = context.OutputIndex(OutputName);
        var shape = context.Outputs[output].shape;
        long elements = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (Index >= elements)
            throw new ArgumentException($"output '{context.OutputNames[output]}' holds {elements} value(s) per image ([{string.Join(", ", shape)}]); element {Index} does not exist");
        string label = $"{(Negate ? "-" : "")}{context.OutputNames[output]}{(elements > 1 ? $"[{Index}]" : "")}";
        float sign = Negate ? -1f : 1f;
        int index = Index;
        return new ResolvedTarget(this, -1, label, outputs => outputs[output].flatten(1)[.., index] * sign);
    }

    /// <inheritdoc />
    public override string ToString() => OutputName is null
        ? throw new NotSupportedException("the first output's target has no text spelling: name the output")
        : $"{(Negate ? "-" : "")}output:{OutputName}[{Index}]";
}
