using TorchSharp;
using static TorchSharp.torch;
using OnnxType = global::Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx.Converters;

/// <summary>Shape (with start/end from opset 15), as an int64 tensor on the CPU: it folds to a constant unless the batch is involved.</summary>
[OnnxOp("Shape", 1, 13, 15, 19, 21)]
internal sealed class ShapeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        int rank = node.Rank(0);
        long start = node.Int("start", 0), end = node.Int("end", rank);
        int s = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        int e = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        node.MovesBatch = true;
        return new FuncOp("Shape", x => torch.tensor(x[0]!.shape[s..Math.Max(s, e)]));
    }
}
