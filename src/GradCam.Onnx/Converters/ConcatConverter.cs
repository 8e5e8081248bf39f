using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Concat along an axis.</summary>
[OnnxOp("Concat", 4, 11, 13)]
internal sealed class ConcatConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int axis = Axes.Normalise(node, node.Has("axis") ? node.Int("axis", 0) : throw node.Error("axis is required"), node.Rank(0));
        if (axis == 0) node.MovesBatch = true;
        return new FuncOp("Concat", x => torch.cat(x.Where(t => t is not null).Select(t => t!).ToArray(), axis));
    }
}
