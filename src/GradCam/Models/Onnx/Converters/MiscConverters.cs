using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Models.Onnx.Converters;

/// <summary>Dropout: the identity at inference (its optional mask output is all true).</summary>
[OnnxOp("Dropout", 1)]
[OnnxOp("Dropout", 6)]
[OnnxOp("Dropout", 7)]
[OnnxOp("Dropout", 10)]
[OnnxOp("Dropout", 12)]
[OnnxOp("Dropout", 13)]
internal sealed class DropoutConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new MultiOp("Dropout", x => [x[0]!.alias(), torch.ones_like(x[0]!, ScalarType.Bool)]);
}

/// <summary>Identity.</summary>
[OnnxOp("Identity", 1)]
[OnnxOp("Identity", 13)]
[OnnxOp("Identity", 14)]
[OnnxOp("Identity", 16)]
[OnnxOp("Identity", 19)]
[OnnxOp("Identity", 21)]
internal sealed class IdentityConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Identity", x => x[0]!.alias());
}

/// <summary>Constant: a tensor, or (opset 12+) a float, int, or list of them; folded at import.</summary>
[OnnxOp("Constant", 1)]
[OnnxOp("Constant", 9)]
[OnnxOp("Constant", 11)]
[OnnxOp("Constant", 12)]
[OnnxOp("Constant", 13)]
[OnnxOp("Constant", 19)]
[OnnxOp("Constant", 21)]
internal sealed class ConstantConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        Tensor value;
        if (node.TensorAttribute("value") is { } proto) value = OnnxTensors.ToTorch(proto, null);
        else if (node.Has("value_float")) value = torch.tensor(node.Float("value_float", 0));
        else if (node.Floats("value_floats") is { } floats) value = torch.tensor(floats);
        else if (node.Has("value_int")) value = torch.tensor(node.Int("value_int", 0));
        else if (node.Ints("value_ints") is { } ints) value = torch.tensor(ints);
        else throw node.Error($"only tensor, float and int values are supported (attributes: {string.Join(", ", node.AttributeNames)})");
        return new FuncOp("Constant", _ => value.alias());
    }
}

/// <summary>ReduceMean over axes (an attribute before opset 18, an optional constant input from 18 on), keepdims.</summary>
[OnnxOp("ReduceMean", 1)]
[OnnxOp("ReduceMean", 11)]
[OnnxOp("ReduceMean", 13)]
[OnnxOp("ReduceMean", 18)]
internal sealed class ReduceMeanConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        bool keep = node.Int("keepdims", 1) != 0;
        var given = node.Opset < 18 ? node.Ints("axes") : node.ConstantInts(1, "axes");
        if (given is { Length: 0 }) given = null;
        if (given is null && node.Opset >= 18 && node.Int("noop_with_empty_axes", 0) != 0)
            return new FuncOp("ReduceMean", x => x[0]!.alias());
        var axes = given?.Select(a => (long)Axes.Normalise(node, a, rank)).ToArray() ?? Enumerable.Range(0, rank).Select(a => (long)a).ToArray();
        if (axes.Contains(0)) node.MovesBatch = true;
        return new FuncOp("ReduceMean", x => x[0]!.mean(axes, keepdim: keep));
    }
}

/// <summary>Shape (with start/end from opset 15), as an int64 tensor on the CPU: it folds to a constant unless the batch is involved.</summary>
[OnnxOp("Shape", 1)]
[OnnxOp("Shape", 13)]
[OnnxOp("Shape", 15)]
[OnnxOp("Shape", 19)]
[OnnxOp("Shape", 21)]
internal sealed class ShapeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        long start = node.Int("start", 0), end = node.Int("end", rank);
        int s = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        int e = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        node.MovesBatch = true;
        return new FuncOp("Shape", x => torch.tensor(x[0]!.shape[s..Math.Max(s, e)]));
    }
}

/// <summary>Gather along an axis with indices of any shape (negative indices count from the end).</summary>
[OnnxOp("Gather", 1)]
[OnnxOp("Gather", 11)]
[OnnxOp("Gather", 13)]
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

/// <summary>ConstantOfShape: a tensor of the given shape filled with <c>value</c> (float 0 by default).</summary>
[OnnxOp("ConstantOfShape", 9)]
[OnnxOp("ConstantOfShape", 20)]
[OnnxOp("ConstantOfShape", 21)]
internal sealed class ConstantOfShapeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var fill = node.TensorAttribute("value") is { } proto ? OnnxTensors.ToTorch(proto, null) : torch.zeros(1);
        var type = fill.dtype;
        double value = fill.numel() > 0 ? fill.to_type(ScalarType.Float64).flatten()[0].item<double>() : 0;
        fill.Dispose();
        return new FuncOp("ConstantOfShape", x =>
        {
            using var cpu = x[0]!.cpu();
            return torch.full(cpu.data<long>().ToArray(), value, type);
        });
    }
}

/// <summary>Cast: to float32 for every floating type, int64 for every integer type, or bool.</summary>
[OnnxOp("Cast", 6)]
[OnnxOp("Cast", 9)]
[OnnxOp("Cast", 13)]
[OnnxOp("Cast", 19)]
[OnnxOp("Cast", 21)]
internal sealed class CastConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var type = (OnnxType)node.Int("to", 0);
        ScalarType target = type switch
        {
            OnnxType.Float or OnnxType.Double or OnnxType.Float16
                or OnnxType.Bfloat16 => ScalarType.Float32,
            OnnxType.Bool => ScalarType.Bool,
            OnnxType.Int64 or OnnxType.Int32 or OnnxType.Int16
                or OnnxType.Int8 or OnnxType.Uint8 or OnnxType.Uint16
                or OnnxType.Uint32 => ScalarType.Int64,
            _ => throw node.Error($"casting to {type} is not supported"),
        };
        return new FuncOp("Cast", x => x[0]!.dtype == target ? x[0]!.alias() : x[0]!.to_type(target));
    }
}

/// <summary>Range: <c>start, start + delta, ...</c> below <c>limit</c>.</summary>
[OnnxOp("Range", 11)]
internal sealed class RangeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Range", x =>
    {
        var type = x[0]!.dtype;
        double start = x[0]!.to_type(ScalarType.Float64).item<double>();
        double limit = x[1]!.to_type(ScalarType.Float64).item<double>();
        double delta = x[2]!.to_type(ScalarType.Float64).item<double>();
        long count = Math.Max(0, (long)Math.Ceiling((limit - start) / delta));
        return torch.arange(count, dtype: ScalarType.Float64).mul_(delta).add_(start).to_type(type);
    });
}
