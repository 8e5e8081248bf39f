using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Squeeze: axes as an attribute before opset 13, as an optional constant input from 13 on.</summary>
[OnnxOp("Squeeze", 1, 11, 13, 21)]
internal sealed class SqueezeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        var given = node.Opset < 13 ? node.Ints("axes") : node.ConstantInts(1, "axes");
        var shape = node.Shape(0);
        // Without axes every size-1 axis goes, except a batch axis, whose size is only 1 on the trace input.
        bool batch = node.Input(0) is { IsConstant: false, BatchMajor: true };
        var axes = given?.Select(a => Axes.Normalise(node, a, rank)).ToArray()
                   ?? Enumerable.Range(0, rank).Where(d => shape[d] == 1 && !(batch && d == 0)).ToArray();
        if (axes.Contains(0)) node.MovesBatch = true;
        var keep = Enumerable.Range(0, rank).Where(d => !axes.Contains(d)).ToArray();
        return new FuncOp("Squeeze", x =>
        {
            var s = x[0]!.shape;
            return x[0]!.reshape(keep.Select(d => s[d]).ToArray());
        });
    }
}
