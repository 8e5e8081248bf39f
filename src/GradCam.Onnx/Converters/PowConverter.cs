using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Pow with numpy-style broadcasting; the result has the base's type.</summary>
[OnnxOp("Pow", 7, 12, 13, 15)]
internal sealed class PowConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Pow", x => x[0]!.pow(x[1]!.to_type(x[0]!.dtype)));
}
