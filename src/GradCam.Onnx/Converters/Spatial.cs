namespace GradCam.Onnx.Converters;

/// <summary>The spatial attributes of convolutions and pools: kernel, strides, dilations and (auto) padding.</summary>
internal sealed record Spatial(long[] Kernel, long[] Strides, long[] Dilations, long[] PadBegin, long[] PadEnd)
{
    /// <summary>Whether the padding is the same on both sides of every axis (torch's own padding can do it).</summary>
    public bool Symmetric => PadBegin.SequenceEqual(PadEnd);

    /// <summary>Whether any padding is applied.</summary>
    public bool Padded => PadBegin.Any(p => p != 0) || PadEnd.Any(p => p != 0);

    /// <summary>Torch's <c>F.pad</c> list for the padding (last axis first).</summary>
    public long[] TorchPad()
    {
        var pad = new long[2 * Kernel.Length];
        for (int i = 0; i < Kernel.Length; i++)
        {
            int axis = Kernel.Length - 1 - i;
            pad[2 * i] = PadBegin[axis];
            pad[2 * i + 1] = PadEnd[axis];
        }
        return pad;
    }

    /// <summary>Reads the attributes of a node whose input 0 is <c>[N, C, spatial...]</c>.</summary>
    /// <param name="node">The node.</param>
    /// <param name="kernel">The kernel's spatial size (from <c>kernel_shape</c> or the weights).</param>
    public static Spatial Of(OnnxNodeContext node, long[] kernel)
    {
        int n = kernel.Length;
        var strides = node.Ints("strides") ?? Enumerable.Repeat(1L, n).ToArray();
        var dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, n).ToArray();
        if (strides.Length != n || dilations.Length != n)
            throw node.Error($"strides ({strides.Length} values) and dilations ({dilations.Length}) must have one value per spatial axis ({n})");
        var input = node.Shape(0);
        var begin = new long[n];
        var end = new long[n];
        string autoPad = node.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                var pads = node.Ints("pads") ?? new long[2 * n];
                if (pads.Length != 2 * n) throw node.Error($"pads has {pads.Length} values, expected {2 * n}");
                Array.Copy(pads, 0, begin, 0, n);
                Array.Copy(pads, n, end, 0, n);
                break;
            case "VALID":
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (int i = 0; i < n; i++)
                {
                    long size = input[2 + i];
                    long outSize = (size + strides[i] - 1) / strides[i];
                    long total = Math.Max(0, (outSize - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - size);
                    long small = total / 2;
                    (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }
                break;
            default:
                throw node.Error($"auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        }
        if (begin.Concat(end).Any(p => p < 0)) throw node.Error($"negative pads ({string.Join(", ", begin.Concat(end))}) are not supported");
        return new Spatial(kernel, strides, dilations, begin, end);
    }
}
