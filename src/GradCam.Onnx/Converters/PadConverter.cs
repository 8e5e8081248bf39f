using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Pad: constant, reflect or edge; pads as attributes before opset 11, as constant inputs from 11 on (axes from 18).</summary>
[OnnxOp("Pad", 2, 11, 13, 18, 19, 21)]
internal sealed class PadConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        string mode = node.String("mode", "constant");
        long[] pads;
        double value;
        long[]? axes = null;
        if (node.Opset < 11)
        {
            pads = node.Ints("pads") ?? throw node.Error("pads are required");
            value = node.Float("value", 0f);
        }
        else
        {
            pads = node.ConstantInts(1, "pads")!;
            value = node.ConstantScalar(2, "constant_value") ?? 0;
            axes = node.ConstantInts(3, "axes");
        }
        int rank = node.Rank(0);
        var padAxes = axes?.Select(a => Axes.Normalise(node, a, rank)).ToArray() ?? Enumerable.Range(0, rank).ToArray();
        int n = padAxes.Length;
        if (pads.Length != 2 * n) throw node.Error($"pads has {pads.Length} values, expected {2 * n}");
        var begin = new long[rank];
        var end = new long[rank];
        for (int i = 0; i < n; i++)
        {
            begin[padAxes[i]] = pads[i];
            end[padAxes[i]] = pads[n + i];
        }
        if (begin[0] != 0 || end[0] != 0) node.MovesBatch = true;
        int first = Array.FindIndex(Enumerable.Range(0, rank).ToArray(), d => begin[d] != 0 || end[d] != 0);
        if (first < 0) return new FuncOp("Pad", x => x[0]!.alias());
        var torchPad = new List<long>();
        for (int d = rank - 1; d >= first; d--) { torchPad.Add(begin[d]); torchPad.Add(end[d]); }
        var padding = torchPad.ToArray();
        var torchMode = mode switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            _ => throw node.Error($"mode '{mode}' is not supported (constant, reflect and edge are)"),
        };
        if (torchMode != PaddingModes.Constant && (rank - first > 2 || rank < 3 || rank > 4))
            throw node.Error($"{mode} padding is supported on the last two axes of a 3-D or 4-D tensor only");
        return new FuncOp("Pad", x => nn.functional.pad(x[0]!, padding, torchMode, value));
    }
}
