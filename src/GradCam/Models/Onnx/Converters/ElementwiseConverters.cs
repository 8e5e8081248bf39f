using static TorchSharp.torch;

namespace GradCam.Models.Onnx.Converters;

/// <summary>Add with numpy-style broadcasting.</summary>
[OnnxOp("Add", 7)]
[OnnxOp("Add", 13)]
[OnnxOp("Add", 14)]
internal sealed class AddConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Add", x => x[0]!.add(x[1]!));
}

/// <summary>Sub with numpy-style broadcasting.</summary>
[OnnxOp("Sub", 7)]
[OnnxOp("Sub", 13)]
[OnnxOp("Sub", 14)]
internal sealed class SubConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Sub", x => x[0]!.sub(x[1]!));
}

/// <summary>Mul with numpy-style broadcasting.</summary>
[OnnxOp("Mul", 7)]
[OnnxOp("Mul", 13)]
[OnnxOp("Mul", 14)]
internal sealed class MulConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Mul", x => x[0]!.mul(x[1]!));
}

/// <summary>Div with numpy-style broadcasting; integer division truncates, as ONNX defines it.</summary>
[OnnxOp("Div", 7)]
[OnnxOp("Div", 13)]
[OnnxOp("Div", 14)]
internal sealed class DivConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Div", x =>
        x[0]!.dtype is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte ? x[0]!.div(x[1]!, RoundingMode.trunc) : x[0]!.div(x[1]!));
}
