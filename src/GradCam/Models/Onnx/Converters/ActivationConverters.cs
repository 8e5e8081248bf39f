using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Onnx.Converters;

/// <summary>Relu, as a TorchSharp ReLU module (so that Guided Backpropagation finds it).</summary>
[OnnxOp("Relu", 6)]
[OnnxOp("Relu", 13)]
[OnnxOp("Relu", 14)]
internal sealed class ReluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new ModuleOp("Relu", nn.ReLU());
}

/// <summary>LeakyRelu (alpha, default 0.01).</summary>
[OnnxOp("LeakyRelu", 6)]
[OnnxOp("LeakyRelu", 16)]
internal sealed class LeakyReluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double alpha = node.Float("alpha", 0.01f);
        return new FuncOp("LeakyRelu", x => nn.functional.leaky_relu(x[0]!, alpha));
    }
}

/// <summary>PRelu: a learned slope for negative values, broadcast to the input (per channel, or any shape).</summary>
[OnnxOp("PRelu", 7)]
[OnnxOp("PRelu", 9)]
[OnnxOp("PRelu", 16)]
internal sealed class PReluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("PRelu", x => torch.where(x[0]!.lt(0), x[0]!.mul(x[1]!), x[0]!));
}

/// <summary>Elu (alpha, default 1).</summary>
[OnnxOp("Elu", 6)]
internal sealed class EluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double alpha = node.Float("alpha", 1f);
        return new FuncOp("Elu", x => nn.functional.elu(x[0]!, alpha));
    }
}

/// <summary>Selu with ONNX's attributes (defaults: alpha 1.67326..., gamma 1.05070...).</summary>
[OnnxOp("Selu", 6)]
internal sealed class SeluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double alpha = node.Float("alpha", 1.67326319217681884765625f), gamma = node.Float("gamma", 1.05070102214813232421875f);
        return new FuncOp("Selu", x => nn.functional.elu(x[0]!, alpha).mul_(gamma));
    }
}

/// <summary>Sigmoid.</summary>
[OnnxOp("Sigmoid", 6)]
[OnnxOp("Sigmoid", 13)]
internal sealed class SigmoidConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Sigmoid", x => x[0]!.sigmoid());
}

/// <summary>HardSigmoid: <c>max(0, min(1, alpha x + beta))</c> (defaults 0.2, 0.5).</summary>
[OnnxOp("HardSigmoid", 6)]
internal sealed class HardSigmoidConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        return new FuncOp("HardSigmoid", x => x[0]!.mul(alpha).add_(beta).clamp_(0, 1));
    }
}

/// <summary>HardSwish: <c>x * max(0, min(1, x / 6 + 1 / 2))</c>.</summary>
[OnnxOp("HardSwish", 14)]
internal sealed class HardSwishConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("HardSwish", x => nn.functional.hardswish(x[0]!));
}

/// <summary>Tanh.</summary>
[OnnxOp("Tanh", 6)]
[OnnxOp("Tanh", 13)]
internal sealed class TanhConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Tanh", x => x[0]!.tanh());
}

/// <summary>Clip: bounds as attributes before opset 11, as optional constant inputs from 11 on.</summary>
[OnnxOp("Clip", 6)]
[OnnxOp("Clip", 11)]
[OnnxOp("Clip", 12)]
[OnnxOp("Clip", 13)]
internal sealed class ClipConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double? min, max;
        if (node.Opset < 11)
        {
            min = node.Has("min") ? node.Float("min", 0) : null;
            max = node.Has("max") ? node.Float("max", 0) : null;
        }
        else
        {
            min = node.ConstantScalar(1, "min");
            max = node.ConstantScalar(2, "max");
        }
        return new FuncOp("Clip", x => x[0]!.clamp(min.HasValue ? (Scalar)min.Value : null, max.HasValue ? (Scalar)max.Value : null));
    }
}

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
