using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>Grad-CAM (Selvaraju et al., ICCV 2017): <c>ReLU(sum_k a_k A^k)</c>, <c>a_k = mean_ij dy^c/dA^k_ij</c>.</summary>
internal class GradCamMethod : GradientWeightedMethod
{
    public override string Name => "gradcam";

    public override string Title => "Grad-CAM";

    internal override Tensor Map(Tensor a, Tensor g) => Weighted(g.mean([2, 3], keepdim: true), a);
}
