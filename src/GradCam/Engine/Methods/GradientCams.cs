using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// The gradient-weighted maps: from a layer's activations <c>A</c> and the gradients <c>G = dy^c/dA</c>
/// (both <c>[N, C, h, w]</c>), the raw map <c>[N, h, w]</c> of each method (formulas in <see cref="CamMethod"/>).
/// All are a few element-wise operations on tensors the size of the layer: their cost next to the forward pass is nil.
/// </summary>
internal static class GradientCams
{
    public static Tensor Compute(CamMethod method, Tensor a, Tensor g) => method switch
    {
        CamMethod.GradCam or CamMethod.GuidedGradCam => Weighted(g.mean([2, 3], keepdim: true), a),
        CamMethod.GradCamPlusPlus => Weighted(GradCamPlusPlusWeights(a, g), a),
        CamMethod.XGradCam => Weighted((g * a).sum([2, 3], keepdim: true) / (a.sum([2, 3], keepdim: true) + 1e-7f), a),
        CamMethod.HiResCam => (g * a).sum(1).relu(),
        CamMethod.LayerCam => (g.relu() * a).sum(1).relu(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a gradient-weighted CAM"),
    };

    private static Tensor Weighted(Tensor weights, Tensor a) => (weights * a).sum(1).relu();

    private static Tensor GradCamPlusPlusWeights(Tensor a, Tensor g)
    {
        var g2 = g * g;
        var g3 = g2 * g;
        var sumA = a.sum([2, 3], keepdim: true);
        var alpha = g2 / (2 * g2 + sumA * g3 + 1e-6f);
        alpha = torch.where(g != 0, alpha, torch.zeros_like(alpha));
        return (alpha * g.relu()).sum([2, 3], keepdim: true);
    }
}
