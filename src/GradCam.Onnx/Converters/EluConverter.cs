using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

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
