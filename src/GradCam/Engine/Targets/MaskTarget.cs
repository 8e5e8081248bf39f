using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Targets;

/// <summary>
/// One class's segmentation scores inside a pixel mask: <c>y = Σ_(i,j) M_ij · S_c,ij</c> with <c>S</c> the
/// segmentation output <c>[N, classes, H, W]</c> and <c>M</c> the binary mask at the output's resolution (resized,
/// nearest, when given at another).
/// </summary>
public sealed class MaskTarget : ExplainTarget
{
    internal MaskTarget(int classIndex, CamMap mask, string? output)
    {
        if (classIndex < 0) throw new ArgumentOutOfRangeException(nameof(classIndex), $"a class index is 0 or more, got {classIndex}");
        ClassIndex = classIndex;
        Pixels = mask;
        OutputName = output;
    }

    /// <summary>The class channel.</summary>
    public int ClassIndex { get; }

    /// <summary>The mask (non-zero pixels count).</summary>
    public CamMap Pixels { get; }

    /// <summary>The segmentation output's name; the first output when null.</summary>
    public string? OutputName { get; }

    /// <inheritdoc />
    public override string Formula => $"y = sum(M * S[{ClassIndex}])";

    internal override ResolvedTarget Resolve(TargetContext context, int item)
    {
        int output = context.OutputIndex(OutputName);
        var shape = context.Outputs[output].shape;
        if (shape.Length != 4)
            throw new ArgumentException($"a mask target needs a segmentation output [N, classes, H, W]; '{context.OutputNames[output]}' is [{string.Join(", ", shape)}]");
        if (ClassIndex >= shape[1])
            throw new ArgumentException($"mask class {ClassIndex} is out of range: '{context.OutputNames[output]}' scores {shape[1]} classes");
        if (Pixels.Data.All(v => v == 0)) throw new ArgumentException("the mask target's mask is empty: no pixel is set");
        int cls = ClassIndex;
        var pixels = Pixels;
        // The mask is made at each use: a resolved target outlives the dispose scope it was resolved in.
        return new ResolvedTarget(this, cls, $"{context.Model.LabelOf(cls)} (mask)", outputs =>
        {
            var scores = outputs[output];
            using var m = torch.tensor(pixels.Data, [1, 1, pixels.Height, pixels.Width]).ne(0).to_type(scores.dtype);
            using var resized = nn.functional.interpolate(m, [scores.shape[2], scores.shape[3]], mode: InterpolationMode.Nearest);
            using var mask = resized[0, 0].to(scores.device);
            return (scores[.., cls] * mask).sum([1, 2]);
        });
    }

    /// <inheritdoc />
    public override string ToString() => $"mask:{ClassIndex}";
}
