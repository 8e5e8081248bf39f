using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>AveragePool (2-D): ceil_mode, count_include_pad, explicit, asymmetric and automatic pads.</summary>
[OnnxOp("AveragePool", 1, 7, 10, 11, 19)]
internal sealed class AveragePoolConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        if (node.Rank(0) != 4) throw node.Error($"only 2-D pooling is supported (input rank {node.Rank(0)})");
        var kernel = node.Ints("kernel_shape") ?? throw node.Error("kernel_shape is required");
        var s = Spatial.Of(node, kernel);
        if (s.Dilations.Any(d => d != 1)) throw node.Error("dilated average pooling is not supported");
        bool ceil = node.Int("ceil_mode", 0) != 0;
        bool includePad = node.Int("count_include_pad", 0) != 0;
        if (!s.Padded || s.Symmetric && s.PadBegin.Select((p, i) => p * 2 <= kernel[i]).All(ok => ok))
            return new FuncOp("AveragePool", x => nn.functional.avg_pool2d(x[0]!, kernel, s.Strides, s.PadBegin, ceil, includePad));
        var pad = s.TorchPad();
        if (includePad)
            return new FuncOp("AveragePool", x => nn.functional.avg_pool2d(nn.functional.pad(x[0]!, pad), kernel, s.Strides, [0, 0], ceil, true));
        // Excluding the padding: the window's sum over the count of real pixels in it (the pooling's divisor cancels).
        return new FuncOp("AveragePool", x =>
        {
            using var scope = torch.NewDisposeScope();
            var input = x[0]!;
            var ones = torch.ones(1, 1, input.shape[2], input.shape[3], dtype: input.dtype, device: input.device);
            var sums = nn.functional.avg_pool2d(nn.functional.pad(input, pad), kernel, s.Strides, [0, 0], ceil, true);
            var counts = nn.functional.avg_pool2d(nn.functional.pad(ones, pad), kernel, s.Strides, [0, 0], ceil, true);
            return sums.div(counts).MoveToOuterDisposeScope();
        });
    }
}
