using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Identity.</summary>
[OnnxOp("Identity", 1, 13, 14, 16, 19, 21)]
internal sealed class IdentityConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Identity", x => x[0]!.alias());
}
