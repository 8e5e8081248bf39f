using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Transpose (default: the axes reversed).</summary>
[OnnxOp("Transpose", 1, 13, 21)]
internal sealed class TransposeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        var perm = node.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(a => (long)a).ToArray();
        if (perm.Length != rank) throw node.Error($"perm has {perm.Length} axes, the input {rank}");
        if (perm[0] != 0) node.MovesBatch = true;
        return new FuncOp("Transpose", x => x[0]!.permute(perm));
    }
}
