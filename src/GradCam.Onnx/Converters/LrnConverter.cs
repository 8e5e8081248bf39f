using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>LRN: local response normalisation across channels, with ONNX's window (floor before, ceil after the channel).</summary>
[OnnxOp("LRN", 1, 13)]
internal sealed class LrnConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        long size = node.Int("size", 0);
        if (size < 1) throw node.Error("size must be a positive integer");
        double alpha = node.Float("alpha", 1e-4f), beta = node.Float("beta", 0.75f), bias = node.Float("bias", 1f);
        long before = (size - 1) / 2, after = size - 1 - before;
        return new FuncOp("LRN", x =>
        {
            using var scope = torch.NewDisposeScope();
            var input = x[0]!;
            var squares = input.square().unsqueeze(1);                                  // [N, 1, C, H, W]
            var padded = nn.functional.pad(squares, [0, 0, 0, 0, before, after]);
            var sums = nn.functional.avg_pool3d(padded, [size, 1, 1], [1, 1, 1]).squeeze(1).mul(size);
            return input.div(sums.mul(alpha / size).add(bias).pow(beta)).MoveToOuterDisposeScope();
        });
    }
}
