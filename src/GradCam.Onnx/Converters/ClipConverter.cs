using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Clip: bounds as attributes before opset 11, as optional constant inputs from 11 on.</summary>
[OnnxOp("Clip", 6, 11, 12, 13)]
internal sealed class ClipConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double? min, max;
        if (node.Opset < 11)
        {
            min = node.Has("min") ? node.Float("min", 0) : null;
            max = node.Has("max") ? node.Float("max", 0) : null;
        }
        else
        {
            min = node.ConstantScalar(1, "min");
            max = node.ConstantScalar(2, "max");
        }
        return new FuncOp("Clip", x => x[0]!.clamp(min.HasValue ? (Scalar)min.Value : null, max.HasValue ? (Scalar)max.Value : null));
    }
}
