using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

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
