using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Slice: starts/ends/axes as attributes before opset 10, as constant inputs (with steps) from 10 on.</summary>
[OnnxOp("Slice", 1, 10, 11, 13)]
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
