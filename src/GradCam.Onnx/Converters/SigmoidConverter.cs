using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Sigmoid.</summary>
[OnnxOp("Sigmoid", 6, 13)]
internal sealed class SigmoidConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Sigmoid", x => x[0]!.sigmoid());
}
