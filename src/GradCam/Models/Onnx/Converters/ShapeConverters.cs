using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Onnx.Converters;

/// <summary>Flatten: <c>[d0 ... d(axis-1), d(axis) ...]</c> to 2-D at <c>axis</c> (default 1).</summary>
[OnnxOp("Flatten", 1)]
[OnnxOp("Flatten", 9)]
[OnnxOp("Flatten", 11)]
[OnnxOp("Flatten", 13)]
[OnnxOp("Flatten", 21)]
internal sealed class FlattenConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        long axis = node.Int("axis", 1);
        int a = axis == rank ? rank : Axes.Normalise(node, axis, rank);
        if (a == 0) node.MovesBatch = true;
        return new FuncOp("Flatten", x =>
        {
            var input = x[0]!;
            long outer = input.shape[..a].Aggregate(1L, (p, d) => p * d);
            return input.reshape(outer, -1);
        });
    }
}

/// <summary>
/// Reshape (0 copies the input's dimension unless <c>allowzero</c>, -1 is inferred). A constant shape whose first
/// dimension is the traced batch follows the run-time batch, so models exported with a fixed batch of 1 take batches.
/// </summary>
[OnnxOp("Reshape", 5)]
[OnnxOp("Reshape", 13)]
[OnnxOp("Reshape", 14)]
[OnnxOp("Reshape", 19)]
[OnnxOp("Reshape", 21)]
internal sealed class ReshapeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        bool allowZero = node.Int("allowzero", 0) != 0;
        if (!node.IsConstant(1))
            return new FuncOp("Reshape", x => x[0]!.reshape(Resolve(TensorShape(x[1]!), x[0]!.shape, allowZero)));
        var shape = node.ConstantInts(1, "shape")!;
        var input = node.Input(0);
        bool followsBatch = input is { IsConstant: false, BatchMajor: true } && shape.Length > 0 && input.Shape.Length > 0
                            && (shape[0] == 0 && !allowZero || shape[0] == node.TraceBatch && input.Shape[0] == node.TraceBatch);
        if (!followsBatch && shape.Length > 0 && shape[0] != -1) node.MovesBatch = true;
        return new FuncOp("Reshape", x =>
        {
            var target = Resolve(shape, x[0]!.shape, allowZero);
            if (followsBatch) target[0] = x[0]!.shape[0];
            return x[0]!.reshape(target);
        });
    }

    private static long[] TensorShape(Tensor t)
    {
        using var cpu = t.cpu();
        return cpu.data<long>().ToArray();
    }

    private static long[] Resolve(long[] shape, long[] input, bool allowZero)
    {
        var target = (long[])shape.Clone();
        if (!allowZero)
            for (int i = 0; i < target.Length; i++)
                if (target[i] == 0) target[i] = input[i];
        return target;
    }
}

/// <summary>Squeeze: axes as an attribute before opset 13, as an optional constant input from 13 on.</summary>
[OnnxOp("Squeeze", 1)]
[OnnxOp("Squeeze", 11)]
[OnnxOp("Squeeze", 13)]
[OnnxOp("Squeeze", 21)]
internal sealed class SqueezeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        var given = node.Opset < 13 ? node.Ints("axes") : node.ConstantInts(1, "axes");
        var shape = node.Shape(0);
        // Without axes every size-1 axis goes, except a batch axis, whose size is only 1 on the trace input.
        bool batch = node.Input(0) is { IsConstant: false, BatchMajor: true };
        var axes = given?.Select(a => Axes.Normalise(node, a, rank)).ToArray()
                   ?? Enumerable.Range(0, rank).Where(d => shape[d] == 1 && !(batch && d == 0)).ToArray();
        if (axes.Contains(0)) node.MovesBatch = true;
        var keep = Enumerable.Range(0, rank).Where(d => !axes.Contains(d)).ToArray();
        return new FuncOp("Squeeze", x =>
        {
            var s = x[0]!.shape;
            return x[0]!.reshape(keep.Select(d => s[d]).ToArray());
        });
    }
}

/// <summary>Unsqueeze: axes as an attribute before opset 13, as a constant input from 13 on.</summary>
[OnnxOp("Unsqueeze", 1)]
[OnnxOp("Unsqueeze", 11)]
[OnnxOp("Unsqueeze", 13)]
[OnnxOp("Unsqueeze", 21)]
internal sealed class UnsqueezeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var given = (node.Opset < 13 ? node.Ints("axes") : node.ConstantInts(1, "axes")) ?? throw node.Error("axes are required");
        int rank = node.Rank(0) + given.Length;
        var axes = given.Select(a => Axes.Normalise(node, a, rank)).ToHashSet();
        if (axes.Contains(0)) node.MovesBatch = true;
        return new FuncOp("Unsqueeze", x =>
        {
            var s = x[0]!.shape;
            var target = new long[rank];
            for (int d = 0, j = 0; d < rank; d++) target[d] = axes.Contains(d) ? 1 : s[j++];
            return x[0]!.reshape(target);
        });
    }
}

/// <summary>Concat along an axis.</summary>
[OnnxOp("Concat", 4)]
[OnnxOp("Concat", 11)]
[OnnxOp("Concat", 13)]
internal sealed class ConcatConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int axis = Axes.Normalise(node, node.Has("axis") ? node.Int("axis", 0) : throw node.Error("axis is required"), node.Rank(0));
        if (axis == 0) node.MovesBatch = true;
        return new FuncOp("Concat", x => torch.cat(x.Where(t => t is not null).Select(t => t!).ToArray(), axis));
    }
}

/// <summary>Split: sizes as an attribute before opset 13, as an optional input from 13 on, or <c>num_outputs</c> (18).</summary>
[OnnxOp("Split", 2)]
[OnnxOp("Split", 11)]
[OnnxOp("Split", 13)]
[OnnxOp("Split", 18)]
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

/// <summary>Slice: starts/ends/axes as attributes before opset 10, as constant inputs (with steps) from 10 on.</summary>
[OnnxOp("Slice", 1)]
[OnnxOp("Slice", 10)]
[OnnxOp("Slice", 11)]
[OnnxOp("Slice", 13)]
internal sealed class SliceConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        long[] starts, ends;
        long[]? axes, steps = null;
        if (node.Opset < 10)
        {
            starts = node.Ints("starts") ?? throw node.Error("starts are required");
            ends = node.Ints("ends") ?? throw node.Error("ends are required");
            axes = node.Ints("axes");
        }
        else
        {
            starts = node.ConstantInts(1, "starts")!;
            ends = node.ConstantInts(2, "ends")!;
            axes = node.ConstantInts(3, "axes");
            steps = node.ConstantInts(4, "steps");
        }
        int rank = node.Rank(0);
        var shape = node.Shape(0);
        axes ??= Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        var plan = new List<(int Axis, long Start, long End, long Step)>();
        for (int i = 0; i < starts.Length; i++)
        {
            int axis = Axes.Normalise(node, axes[i], rank);
            if (steps[i] == 0) throw node.Error("a slice step cannot be 0");
            if (axis == 0) node.MovesBatch = true;
            long dim = shape[axis];
            long step = steps[i];
            long start = Clamp(starts[i] < 0 ? starts[i] + dim : starts[i], step > 0 ? 0 : -1, step > 0 ? dim : dim - 1);
            long end = Clamp(ends[i] < 0 ? ends[i] + dim : ends[i], step > 0 ? 0 : -1, step > 0 ? dim : dim - 1);
            plan.Add((axis, start, end, step));
        }
        return new FuncOp("Slice", x =>
        {
            var y = x[0]!;
            foreach (var (axis, start, end, step) in plan)
            {
                if (step > 0)
                {
                    y = y.slice(axis, start, Math.Max(start, end), step);
                }
                else
                {
                    var index = new List<long>();
                    for (long i = start; i > end; i += step) index.Add(i);
                    using var idx = torch.tensor(index.ToArray(), device: y.device);
                    y = y.index_select(axis, idx);
                }
            }
            return ReferenceEquals(y, x[0]) ? y.alias() : y;
        });
    }

    private static long Clamp(long v, long lo, long hi) => Math.Max(lo, Math.Min(hi, v));
}

/// <summary>Transpose (default: the axes reversed).</summary>
[OnnxOp("Transpose", 1)]
[OnnxOp("Transpose", 13)]
[OnnxOp("Transpose", 21)]
internal sealed class TransposeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        var perm = node.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(a => (long)a).ToArray();
        if (perm.Length != rank) throw node.Error($"perm has {perm.Length} axes, the input {rank}");
        if (perm[0] != 0) node.MovesBatch = true;
        return new FuncOp("Transpose", x => x[0]!.permute(perm));
    }
}

/// <summary>Pad: constant, reflect or edge; pads as attributes before opset 11, as constant inputs from 11 on (axes from 18).</summary>
[OnnxOp("Pad", 2)]
[OnnxOp("Pad", 11)]
[OnnxOp("Pad", 13)]
[OnnxOp("Pad", 18)]
[OnnxOp("Pad", 19)]
[OnnxOp("Pad", 21)]
internal sealed class PadConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        string mode = node.String("mode", "constant");
        long[] pads;
        double value;
        long[]? axes = null;
        if (node.Opset < 11)
        {
            pads = node.Ints("pads") ?? throw node.Error("pads are required");
            value = node.Float("value", 0f);
        }
        else
        {
            pads = node.ConstantInts(1, "pads")!;
            value = node.ConstantScalar(2, "constant_value") ?? 0;
            axes = node.ConstantInts(3, "axes");
        }
        int rank = node.Rank(0);
        var padAxes = axes?.Select(a => Axes.Normalise(node, a, rank)).ToArray() ?? Enumerable.Range(0, rank).ToArray();
        int n = padAxes.Length;
        if (pads.Length != 2 * n) throw node.Error($"pads has {pads.Length} values, expected {2 * n}");
        var begin = new long[rank];
        var end = new long[rank];
        for (int i = 0; i < n; i++)
        {
            begin[padAxes[i]] = pads[i];
            end[padAxes[i]] = pads[n + i];
        }
        if (begin[0] != 0 || end[0] != 0) node.MovesBatch = true;
        int first = Array.FindIndex(Enumerable.Range(0, rank).ToArray(), d => begin[d] != 0 || end[d] != 0);
        if (first < 0) return new FuncOp("Pad", x => x[0]!.alias());
        var torchPad = new List<long>();
        for (int d = rank - 1; d >= first; d--) { torchPad.Add(begin[d]); torchPad.Add(end[d]); }
        var padding = torchPad.ToArray();
        var torchMode = mode switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            _ => throw node.Error($"mode '{mode}' is not supported (constant, reflect and edge are)"),
        };
        if (torchMode != PaddingModes.Constant && (rank - first > 2 || rank < 3 || rank > 4))
            throw node.Error($"{mode} padding is supported on the last two axes of a 3-D or 4-D tensor only");
        return new FuncOp("Pad", x => nn.functional.pad(x[0]!, padding, torchMode, value));
    }
}
