using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Cast: to float32 for every floating type, int64 for every integer type, or bool.</summary>
[OnnxOp("Cast", 6, 9, 13, 19, 21)]
internal sealed class CastConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var type = (OnnxType)node.Int("to", 0);
        ScalarType target = type switch
        {
            OnnxType.Float or OnnxType.Double or OnnxType.Float16
                or OnnxType.Bfloat16 => ScalarType.Float32,
            OnnxType.Bool => ScalarType.Bool,
            OnnxType.Int64 or OnnxType.Int32 or OnnxType.Int16
                or OnnxType.Int8 or OnnxType.Uint8 or OnnxType.Uint16
                or OnnxType.Uint32 => ScalarType.Int64,
            _ => throw node.Error($"casting to {type} is not supported"),
        };
        return new FuncOp("Cast", x => x[0]!.dtype == target ? x[0]!.alias() : x[0]!.to_type(target));
    }
}
