using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>
/// Reshape (0 copies the input's dimension unless <c>allowzero</c>, -1 is inferred). A constant shape whose first
/// dimension is the traced batch follows the run-time batch, so models exported with a fixed batch of 1 take batches.
/// </summary>
[OnnxOp("Reshape", 5, 13, 14, 19, 21)]
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
