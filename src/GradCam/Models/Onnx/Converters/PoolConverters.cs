using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Onnx.Converters;

/// <summary>MaxPool (2-D): ceil_mode, dilations, explicit, asymmetric and automatic pads.</summary>
[OnnxOp("MaxPool", 1)]
[OnnxOp("MaxPool", 8)]
[OnnxOp("MaxPool", 10)]
[OnnxOp("MaxPool", 11)]
[OnnxOp("MaxPool", 12)]
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

/// <summary>AveragePool (2-D): ceil_mode, count_include_pad, explicit, asymmetric and automatic pads.</summary>
[OnnxOp("AveragePool", 1)]
[OnnxOp("AveragePool", 7)]
[OnnxOp("AveragePool", 10)]
[OnnxOp("AveragePool", 11)]
[OnnxOp("AveragePool", 19)]
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

/// <summary>GlobalAveragePool: the mean over every spatial axis, kept as size 1.</summary>
[OnnxOp("GlobalAveragePool", 1)]
internal sealed class GlobalAveragePoolConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var dims = Enumerable.Range(2, node.Rank(0) - 2).Select(d => (long)d).ToArray();
        return new FuncOp("GlobalAveragePool", x => x[0]!.mean(dims, keepdim: true));
    }
}

/// <summary>GlobalMaxPool: the maximum over every spatial axis, kept as size 1.</summary>
[OnnxOp("GlobalMaxPool", 1)]
internal sealed class GlobalMaxPoolConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        var dims = Enumerable.Range(2, node.Rank(0) - 2).Select(d => (long)d).ToArray();
        return new FuncOp("GlobalMaxPool", x => x[0]!.amax(dims, keepdim: true));
    }
}
