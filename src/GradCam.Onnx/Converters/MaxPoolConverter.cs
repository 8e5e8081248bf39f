using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>MaxPool (2-D): ceil_mode, dilations, explicit, asymmetric and automatic pads.</summary>
[OnnxOp("MaxPool", 1, 8, 10, 11, 12)]
internal sealed class MaxPoolConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        if (node.Rank(0) != 4) throw node.Error($"only 2-D pooling is supported (input rank {node.Rank(0)})");
        if (node.Node.Output.Count > 1 && node.Node.Output[1].Length > 0) throw node.Error("the Indices output is not supported");
        var kernel = node.Ints("kernel_shape") ?? throw node.Error("kernel_shape is required");
        var s = Spatial.Of(node, kernel);
        bool ceil = node.Int("ceil_mode", 0) != 0;
        // torch pads at most half a kernel on each side, symmetrically; anything else is padded explicitly with -inf.
        if (s.Symmetric && s.PadBegin.Select((p, i) => p * 2 <= kernel[i]).All(ok => ok))
            return new FuncOp("MaxPool", x => nn.functional.max_pool2d(x[0]!, kernel, s.Strides, s.PadBegin, s.Dilations, ceil));
        var pad = s.TorchPad();
        return new FuncOp("MaxPool", x => nn.functional.max_pool2d(
            nn.functional.pad(x[0]!, pad, PaddingModes.Constant, double.NegativeInfinity), kernel, s.Strides, [0, 0], s.Dilations, ceil));
    }
}
