using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>HardSwish: <c>x * max(0, min(1, x / 6 + 1 / 2))</c>.</summary>
[OnnxOp("HardSwish", 14)]
internal sealed class HardSwishConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("HardSwish", x => nn.functional.hardswish(x[0]!));
}
