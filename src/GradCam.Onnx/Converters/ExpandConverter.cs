using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Expand: broadcasts the input to the shape broadcast from its own and the given one (numpy rules).</summary>
[OnnxOp("Expand", 8, 13)]
internal sealed class ExpandConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Expand", x =>
    {
        var input = x[0]!;
        long[] shape;
        using (var cpu = x[1]!.cpu().to_type(ScalarType.Int64)) shape = cpu.data<long>().ToArray();
        int rank = Math.Max(shape.Length, (int)input.dim());
        var target = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long a = i - (rank - (int)input.dim()) is int ai and >= 0 ? input.shape[ai] : 1;
            long b = i - (rank - shape.Length) is int bi and >= 0 ? shape[bi] : 1;
            if (a != b && a != 1 && b != 1) throw new ArgumentException($"Expand cannot broadcast [{string.Join(", ", input.shape)}] to [{string.Join(", ", shape)}]");
            target[i] = a == 1 ? b : a;
        }
        return input.expand(target).contiguous();
    });
}
