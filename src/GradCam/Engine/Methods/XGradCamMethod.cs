using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>XGrad-CAM (Fu et al., BMVC 2020): <c>w_k = sum_ij (A_ij^k / sum_ab A_ab^k) dy^c/dA_ij^k</c>.</summary>
internal sealed class XGradCamMethod : GradientWeightedMethod
{
    public override string Name => "xgradcam";

    public override string Title => "XGrad-CAM";

    internal override Tensor Map(Tensor a, Tensor g) => Weighted((g * a).sum([2, 3], keepdim: true) / (a.sum([2, 3], keepdim: true) + 1e-7f), a);
}
