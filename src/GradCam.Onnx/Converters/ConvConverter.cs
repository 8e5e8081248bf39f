using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Conv (2-D): groups, dilations, strides, explicit or asymmetric pads, <c>auto_pad</c>.</summary>
[OnnxOp("Conv", 1, 11)]
internal sealed class ConvConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var weight = node.Shape(1);
        if (weight.Length != 4 || node.Rank(0) != 4)
            throw node.Error($"only 2-D convolutions are supported (input rank {node.Rank(0)}, weight rank {weight.Length})");
        var spatial = Spatial.Of(node, node.Ints("kernel_shape") ?? weight[2..]);
        long groups = node.Int("group", 1);
        var strides = spatial.Strides;
        var dilations = spatial.Dilations;
        if (spatial.Symmetric)
        {
            var padding = spatial.PadBegin;
            return new FuncOp("Conv", x => nn.functional.conv2d(x[0]!, x[1]!, x.Length > 2 ? x[2] : null, strides, padding, dilations, groups));
        }
        var pad = spatial.TorchPad();
        return new FuncOp("Conv", x => nn.functional.conv2d(nn.functional.pad(x[0]!, pad), x[1]!, x.Length > 2 ? x[2] : null,
                                                             strides, [0, 0], dilations, groups));
    }
}
