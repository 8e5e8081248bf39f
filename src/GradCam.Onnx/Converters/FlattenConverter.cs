using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Flatten: <c>[d0 ... d(axis-1), d(axis) ...]</c> to 2-D at <c>axis</c> (default 1).</summary>
[OnnxOp("Flatten", 1, 9, 11, 13, 21)]
internal sealed class FlattenConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        long axis = node.Int("axis", 1);
        int a = axis == rank ? rank : Axes.Normalise(node, axis, rank);
        if (a == 0) node.MovesBatch = true;
        return new FuncOp("Flatten", x =>
        {
            var input = x[0]!;
            long outer = input.shape[..a].Aggregate(1L, (p, d) => p * d);
            return input.reshape(outer, -1);
        });
    }
}
