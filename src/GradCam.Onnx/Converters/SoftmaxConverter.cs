using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Softmax and LogSoftmax: before opset 13 over the input coerced to 2-D at <c>axis</c> (default 1), from 13 on along <c>axis</c> (default -1).</summary>
[OnnxOp("Softmax", 1)]
[OnnxOp("Softmax", 11)]
[OnnxOp("Softmax", 13)]
[OnnxOp("LogSoftmax", 1)]
[OnnxOp("LogSoftmax", 11)]
[OnnxOp("LogSoftmax", 13)]
internal sealed class SoftmaxConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        bool log = node.Node.OpType == "LogSoftmax";
        int rank = node.Rank(0);
        Func<Tensor, long, Tensor> f = log ? (t, d) => nn.functional.log_softmax(t, d) : (t, d) => nn.functional.softmax(t, d);
        if (node.Opset >= 13)
        {
            int axis = Axes.Normalise(node, node.Int("axis", -1), rank);
            return new FuncOp(node.Node.OpType, x => f(x[0]!, axis));
        }
        int coerce = Axes.Normalise(node, node.Int("axis", 1), rank);
        if (coerce == rank - 1) return new FuncOp(node.Node.OpType, x => f(x[0]!, coerce));
        return new FuncOp(node.Node.OpType, x =>
        {
            var input = x[0]!;
            long outer = input.shape[..coerce].Aggregate(1L, (a, b) => a * b);
            return f(input.reshape(outer, -1), 1).reshape(input.shape);
        });
    }
}
