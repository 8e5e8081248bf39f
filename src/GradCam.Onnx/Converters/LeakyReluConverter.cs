using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>LeakyRelu (alpha, default 0.01).</summary>
[OnnxOp("LeakyRelu", 6, 16)]
internal sealed class LeakyReluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double alpha = node.Float("alpha", 0.01f);
        return new FuncOp("LeakyRelu", x => nn.functional.leaky_relu(x[0]!, alpha));
    }
}
