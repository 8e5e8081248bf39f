using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>InstanceNormalization: each sample's channels normalised over their spatial axes.</summary>
[OnnxOp("InstanceNormalization", 1, 6)]
internal sealed class InstanceNormalizationConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        double eps = node.Float("epsilon", 1e-5f);
        return new FuncOp("InstanceNormalization", x => nn.functional.instance_norm(x[0]!, weight: x[1], bias: x[2], eps: eps));
    }
}
