using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Sub with numpy-style broadcasting.</summary>
[OnnxOp("Sub", 7, 13, 14)]
internal sealed class SubConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Sub", x => x[0]!.sub(x[1]!));
}
