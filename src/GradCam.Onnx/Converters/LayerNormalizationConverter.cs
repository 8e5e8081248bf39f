using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>
/// LayerNormalization: <c>(x - mean) / sqrt(var + epsilon) · scale + bias</c> over the axes from <c>axis</c> (default
/// -1) to the last, with the population variance. Only the first output (Y) is computed.
/// </summary>
[OnnxOp("LayerNormalization", 17)]
internal sealed class LayerNormalizationConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        int axis = Axes.Normalise(node, node.Int("axis", -1), rank);
        double epsilon = node.Float("epsilon", 1e-5f);
        if (node.Node.Output.Skip(1).Any(o => o.Length > 0)) throw node.Error("only the normalised output is supported, not Mean or InvStdDev");
        var axes = Enumerable.Range(axis, rank - axis).Select(a => (long)a).ToArray();
        return new FuncOp("LayerNormalization", x =>
        {
            var input = x[0]!;
            var normalised = input.shape[axis..];
            var scale = x[1]!;
            var bias = x.Length > 2 ? x[2] : null;
            if (scale.shape.SequenceEqual(normalised) && (bias is null || bias.shape.SequenceEqual(normalised)))
                return nn.functional.layer_norm(input, normalised, scale, bias, epsilon);
            using var scope = torch.NewDisposeScope();
            var mean = input.mean(axes, keepdim: true);
            var centred = input - mean;
            var y = centred / (centred.square().mean(axes, keepdim: true) + epsilon).sqrt() * scale;
            return (bias is null ? y : y + bias).MoveToOuterDisposeScope();
        });
    }
}
