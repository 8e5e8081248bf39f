using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>MatMul: numpy-style matrix product with broadcasting.</summary>
[OnnxOp("MatMul", 1, 9, 13)]
internal sealed class MatMulConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node) => new FuncOp("MatMul", x => x[0]!.matmul(x[1]!));
}
