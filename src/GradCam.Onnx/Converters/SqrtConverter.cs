using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Sqrt.</summary>
[OnnxOp("Sqrt", 6, 13)]
internal sealed class SqrtConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Sqrt", x => x[0]!.sqrt());
}
