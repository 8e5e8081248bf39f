using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Relu, as a TorchSharp ReLU module (so that Guided Backpropagation finds it).</summary>
[OnnxOp("Relu", 6, 13, 14)]
internal sealed class ReluConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new ModuleOp("Relu", nn.ReLU());
}
