using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Range: <c>start, start + delta, ...</c> below <c>limit</c>.</summary>
[OnnxOp("Range", 11)]
internal sealed class RangeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Range", x =>
    {
        var type = x[0]!.dtype;
        double start = x[0]!.to_type(ScalarType.Float64).item<double>();
        double limit = x[1]!.to_type(ScalarType.Float64).item<double>();
        double delta = x[2]!.to_type(ScalarType.Float64).item<double>();
        long count = Math.Max(0, (long)Math.Ceiling((limit - start) / delta));
        return torch.arange(count, dtype: ScalarType.Float64).mul_(delta).add_(start).to_type(type);
    });
}
