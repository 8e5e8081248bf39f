using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Not: logical negation of a boolean tensor.</summary>
[OnnxOp("Not", 1)]
internal sealed class NotConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Not", x => x[0]!.logical_not());
}
