using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Onnx.Converters;

/// <summary>
/// BatchNormalization in inference mode, every version: per-channel statistics, or CNTK's <c>spatial = 0</c>
/// statistics per channel and position.
/// </summary>
[OnnxOp("BatchNormalization", 1)]
[OnnxOp("BatchNormalization", 6)]
[OnnxOp("BatchNormalization", 7)]
[OnnxOp("BatchNormalization", 9)]
[OnnxOp("BatchNormalization", 14)]
[OnnxOp("BatchNormalization", 15)]
internal sealed class BatchNormalizationConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        if (node.Int("training_mode", 0) != 0) throw node.Error("training_mode = 1 is not supported: export the model in eval mode");
        if (node.Node.Output.Skip(1).Any(o => o.Length > 0)) throw node.Error("the running-statistics outputs (training mode) are not supported");
        double eps = node.Float("epsilon", 1e-5f);
        long channels = node.Shape(0)[1];
        bool perChannel = Enumerable.Range(1, 4).All(i => node.Shape(i) is var s && s.Aggregate(1L, (a, b) => a * b) == channels);
        if (perChannel)
            return new FuncOp("BatchNormalization", x => nn.functional.batch_norm(
                x[0]!, x[3]!.flatten(), x[4]!.flatten(), x[1]!.flatten(), x[2]!.flatten(), training: false, eps: eps));
        var statShape = new long[] { 1 }.Concat(node.Shape(0)[1..]).ToArray();
        return new FuncOp("BatchNormalization", x =>
        {
            using var scope = torch.NewDisposeScope();
            var (scale, bias, mean, variance) = (x[1]!.reshape(statShape), x[2]!.reshape(statShape), x[3]!.reshape(statShape), x[4]!.reshape(statShape));
            return x[0]!.sub(mean).div(variance.add(eps).sqrt()).mul(scale).add(bias).MoveToOuterDisposeScope();
        });
    }
}

/// <summary>InstanceNormalization: each sample's channels normalised over their spatial axes.</summary>
[OnnxOp("InstanceNormalization", 1)]
[OnnxOp("InstanceNormalization", 6)]
internal sealed class InstanceNormalizationConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double eps = node.Float("epsilon", 1e-5f);
        return new FuncOp("InstanceNormalization", x => nn.functional.instance_norm(x[0]!, weight: x[1], bias: x[2], eps: eps));
    }
}

/// <summary>LRN: local response normalisation across channels, with ONNX's window (floor before, ceil after the channel).</summary>
[OnnxOp("LRN", 1)]
[OnnxOp("LRN", 13)]
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
