using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Where: <c>condition ? x : y</c> element by element, with numpy-style broadcasting.</summary>
[OnnxOp("Where", 9, 16)]
internal sealed class WhereConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) =>
        new FuncOp("Where", x => torch.where(x[0]!.to_type(ScalarType.Bool), x[1]!, x[2]!.to_type(x[1]!.dtype)));
}
