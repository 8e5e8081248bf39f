using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Equal with numpy-style broadcasting: a boolean tensor.</summary>
[OnnxOp("Equal", 7, 11, 13, 19)]
internal sealed class EqualConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Equal", x => x[0]!.eq(x[1]!.to_type(x[0]!.dtype)));
}
