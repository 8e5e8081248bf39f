using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Erf, the error function (PyTorch exports exact GELU as <c>0.5 x (1 + erf(x / √2))</c>).</summary>
[OnnxOp("Erf", 9, 13)]
internal sealed class ErfConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("Erf", x => x[0]!.erf());
}
