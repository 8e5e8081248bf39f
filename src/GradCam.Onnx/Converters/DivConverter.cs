using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Div with numpy-style broadcasting; integer division truncates, as ONNX defines it.</summary>
[OnnxOp("Div", 7, 13, 14)]
internal sealed class DivConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Div", x =>
        x[0]!.dtype is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte ? x[0]!.div(x[1]!, RoundingMode.trunc) : x[0]!.div(x[1]!));
}
