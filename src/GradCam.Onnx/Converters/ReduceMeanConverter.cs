using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>ReduceMean over axes (an attribute before opset 18, an optional constant input from 18 on), keepdims.</summary>
[OnnxOp("ReduceMean", 1, 11, 13, 18)]
internal sealed class ReduceMeanConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        bool keep = node.Int("keepdims", 1) != 0;
        var given = node.Opset < 18 ? node.Ints("axes") : node.ConstantInts(1, "axes");
        if (given is { Length: 0 }) given = null;
        if (given is null && node.Opset >= 18 && node.Int("noop_with_empty_axes", 0) != 0)
            return new FuncOp("ReduceMean", x => x[0]!.alias());
        var axes = given?.Select(a => (long)Axes.Normalise(node, a, rank)).ToArray() ?? Enumerable.Range(0, rank).Select(a => (long)a).ToArray();
        if (axes.Contains(0)) node.MovesBatch = true;
        return new FuncOp("ReduceMean", x => x[0]!.mean(axes, keepdim: keep));
    }
}
