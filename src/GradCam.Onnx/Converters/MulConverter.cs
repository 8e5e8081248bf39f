using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Mul with numpy-style broadcasting.</summary>
[OnnxOp("Mul", 7, 13, 14)]
internal sealed class MulConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Mul", x => x[0]!.mul(x[1]!));
}
