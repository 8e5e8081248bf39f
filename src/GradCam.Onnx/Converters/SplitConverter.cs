using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Split: sizes as an attribute before opset 13, as an optional input from 13 on, or <c>num_outputs</c> (18).</summary>
[OnnxOp("Split", 2, 11, 13, 18)]
internal sealed class SplitConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int axis = Axes.Normalise(node, node.Int("axis", 0), node.Rank(0));
        if (axis == 0) node.MovesBatch = true;
        int outputs = node.Node.Output.Count;
        long size = node.Shape(0)[axis];
        var sizes = node.Opset < 13 ? node.Ints("split") : node.ConstantInts(1, "split");
        if (sizes is null)
        {
            // Equal parts; with num_outputs (opset 18) the last may be smaller.
            long part = (size + outputs - 1) / outputs;
            sizes = Enumerable.Range(0, outputs).Select(i => Math.Max(0, Math.Min(part, size - i * part))).ToArray();
        }
        if (sizes.Length != outputs || sizes.Sum() != size)
            throw node.Error($"split sizes ({string.Join(", ", sizes)}) do not divide axis {axis} of size {size} into {outputs} outputs");
        return new MultiOp("Split", x => x[0]!.split(sizes, axis));
    }
}
