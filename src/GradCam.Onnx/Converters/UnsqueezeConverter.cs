using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Unsqueeze: axes as an attribute before opset 13, as a constant input from 13 on.</summary>
[OnnxOp("Unsqueeze", 1, 11, 13, 21)]
internal sealed class UnsqueezeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var given = (node.Opset < 13 ? node.Ints("axes") : node.ConstantInts(1, "axes")) ?? throw node.Error("axes are required");
        int rank = node.Rank(0) + given.Length;
        var axes = given.Select(a => Axes.Normalise(node, a, rank)).ToHashSet();
        if (axes.Contains(0)) node.MovesBatch = true;
        return new FuncOp("Unsqueeze", x =>
        {
            var s = x[0]!.shape;
            var target = new long[rank];
            for (int d = 0, j = 0; d < rank; d++) target[d] = axes.Contains(d) ? 1 : s[j++];
            return x[0]!.reshape(target);
        });
    }
}
