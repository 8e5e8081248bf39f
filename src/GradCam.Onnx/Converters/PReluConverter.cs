using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>PRelu: a learned slope for negative values, broadcast to the input (per channel, or any shape).</summary>
[OnnxOp("PRelu", 7, 9, 16)]
internal sealed class PReluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("PRelu", x => torch.where(x[0]!.lt(0), x[0]!.mul(x[1]!), x[0]!));
}
