using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>
/// ScatterND: a copy of the data with the slices at <c>indices[..., :k]</c> replaced by (or, with
/// <c>reduction = add</c>, increased by) the updates.
/// </summary>
[OnnxOp("ScatterND", 11, 13, 16, 18)]
internal sealed class ScatterNDConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        string reduction = node.String("reduction", "none");
        if (reduction is not ("none" or "add")) throw node.Error($"reduction '{reduction}' is not supported (none and add are)");
        return new FuncOp("ScatterND", x =>
        {
            using var scope = torch.NewDisposeScope();
            var data = x[0]!;
            var indices = x[1]!.to(data.device).to_type(ScalarType.Int64);
            var updates = x[2]!.to_type(data.dtype);
            int k = (int)indices.shape[^1];
            var leading = data.shape[..k];
            var trailing = data.shape[k..];
            // Row-major position of each index tuple among the first k axes, negative indices wrapped.
            var flat = torch.zeros(indices.shape[..^1], ScalarType.Int64, data.device);
            for (int j = 0; j < k; j++)
            {
                var index = indices.select(-1, j);
                flat = flat * leading[j] + torch.where(index.lt(0), index + leading[j], index);
            }
            var rows = data.reshape([leading.Aggregate(1L, (a, b) => a * b), .. trailing]).clone();
            var values = updates.reshape([-1, .. trailing]);
            var result = reduction == "add" ? rows.index_add(0, flat.flatten(), values, 1) : rows.index_copy(0, flat.flatten(), values);
            return result.reshape(data.shape).MoveToOuterDisposeScope();
        });
    }
}
