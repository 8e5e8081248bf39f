using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

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
