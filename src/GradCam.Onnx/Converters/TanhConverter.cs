using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Tanh.</summary>
[OnnxOp("Tanh", 6, 13)]
internal sealed class TanhConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Tanh", x => x[0]!.tanh());
}
