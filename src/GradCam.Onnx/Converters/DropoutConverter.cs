using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Dropout: the identity at inference (its optional mask output is all true).</summary>
[OnnxOp("Dropout", 1, 6, 7, 10, 12, 13)]
internal sealed class DropoutConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new MultiOp("Dropout", x => [x[0]!.alias(), torch.ones_like(x[0]!, ScalarType.Bool)]);
}
