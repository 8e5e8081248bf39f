using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

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
