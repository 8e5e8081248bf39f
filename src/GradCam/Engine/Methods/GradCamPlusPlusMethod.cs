using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// Grad-CAM++ (Chattopadhay et al., WACV 2018), closed form for <c>Y = exp(y^c)</c>:
/// <c>alpha = g^2 / (2 g^2 + sum_ab A_ab g^3)</c> (0 where g = 0), <c>w_k = sum_ij alpha ReLU(g)</c>. The common factor
/// <c>exp(y^c)</c> is left out: it scales the raw map only, not the normalised heatmap.
/// </summary>
internal sealed class GradCamPlusPlusMethod : GradientWeightedMethod
{
    public override string Name => "gradcam++";

    public override string Title => "Grad-CAM++";

    internal override Tensor Map(Tensor a, Tensor g)
    {
        var g2 = g * g;
        var g3 = g2 * g;
        var sumA = a.sum([2, 3], keepdim: true);
        var alpha = g2 / (2 * g2 + sumA * g3 + 1e-6f);
        alpha = torch.where(g != 0, alpha, torch.zeros_like(alpha));
        return Weighted((alpha * g.relu()).sum([2, 3], keepdim: true), a);
    }
}
