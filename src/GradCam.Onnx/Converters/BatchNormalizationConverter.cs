using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>
/// BatchNormalization in inference mode, every version: per-channel statistics, or CNTK's <c>spatial = 0</c>
/// statistics per channel and position.
/// </summary>
[OnnxOp("BatchNormalization", 1, 6, 7, 9, 14, 15)]
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
