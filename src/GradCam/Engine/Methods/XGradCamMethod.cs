using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// XGrad-CAM (Fu et al., BMVC 2020): <c>w_k = sum_ij (A_ij^k / sum_ab A_ab^k) dy^c/dA_ij^k</c>, 0 for a channel whose
/// activations sum to 0 (no epsilon, which would bend the weights of channels with small activations).
/// </summary>
internal sealed class XGradCamMethod : GradientWeightedMethod
{
    public override string Name => "xgradcam";

    public override string Title => "XGrad-CAM";

    internal override Tensor Map(Tensor a, Tensor g) => Weighted(TensorMaps.DivideOrZero((g * a).sum([2, 3], keepdim: true), a.sum([2, 3], keepdim: true)), a);
}
