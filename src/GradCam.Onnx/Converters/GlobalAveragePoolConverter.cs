using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

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
