using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>HiResCAM (Draelos &amp; Carin, 2020): <c>ReLU(sum_k dy^c/dA^k ⊙ A^k)</c>.</summary>
internal sealed class HiResCamMethod : GradientWeightedMethod
{
    public override string Name => "hirescam";

    public override string Title => "HiResCAM";

    internal override Tensor Map(Tensor a, Tensor g) => (g * a).sum(1).relu();
}
