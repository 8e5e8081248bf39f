using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Gemm: <c>alpha * A' * B' + beta * C</c> with transA/transB; the common fully-connected case is one linear call.</summary>
[OnnxOp("Gemm", 1, 7, 9, 11, 13)]
internal sealed class GemmConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        bool transA = node.Int("transA", 0) != 0, transB = node.Int("transB", 0) != 0;
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        if (transA) node.MovesBatch = true;
        bool hasC = node.HasInput(2);
        bool biasVector = hasC && node.Rank(2) == 1 && beta == 1f;
        return new FuncOp("Gemm", x =>
        {
            var a = transA ? x[0]!.t() : x[0]!;
            var weight = transB ? x[1]! : x[1]!.t();                 // linear takes [out, in]
            var y = nn.functional.linear(a, weight, biasVector ? x[2] : null);
            if (alpha != 1f) y = y.mul_(alpha);
            if (hasC && !biasVector) y = y.add_(x[2]!, beta);
            return y;
        });
    }
}
