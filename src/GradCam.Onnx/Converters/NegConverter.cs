using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Neg.</summary>
[OnnxOp("Neg", 6, 13)]
internal sealed class NegConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Neg", x => x[0]!.neg());
}
