using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Add with numpy-style broadcasting.</summary>
[OnnxOp("Add", 7, 13, 14)]
internal sealed class AddConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Add", x => x[0]!.add(x[1]!));
}
