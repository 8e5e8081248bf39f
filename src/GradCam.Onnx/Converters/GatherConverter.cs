using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Gather along an axis with indices of any shape (negative indices count from the end).</summary>
[OnnxOp("Gather", 1, 11, 13)]
internal sealed class GatherConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        int axis = Axes.Normalise(node, node.Int("axis", 0), rank);
        if (axis == 0) node.MovesBatch = true;
        return new FuncOp("Gather", x =>
        {
            using var scope = torch.NewDisposeScope();
            var data = x[0]!;
            var indices = x[1]!.to(data.device).to_type(ScalarType.Int64);
            long size = data.shape[axis];
            var wrapped = torch.where(indices.lt(0), indices.add(size), indices);
            var picked = data.index_select(axis, wrapped.flatten());
            var shape = data.shape[..axis].Concat(indices.shape).Concat(data.shape[(axis + 1)..]).ToArray();
            return picked.reshape(shape).MoveToOuterDisposeScope();
        });
    }
}
