using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// Grad-CAM++ (Chattopadhay et al., WACV 2018), closed form for <c>Y = exp(y^c)</c>:
/// <c>alpha = g^2 / (2 g^2 + sum_ab A_ab g^3)</c>, computed as <c>1 / (2 + sum_ab A_ab g)</c> (0 where g = 0 or the
/// denominator is 0), <c>w_k = sum_ij alpha ReLU(g)</c>. No epsilon: the usual <c>+ 1e-6</c> in the denominator is of the
/// order of g^2 itself when the gradients are small (1e-3), and changed such maps by half against the paper's alpha
/// taken from autograd's second and third derivatives. The common factor <c>exp(y^c)</c> is left out: it scales the raw
/// map only, not the normalised heatmap.
/// </summary>
internal sealed class GradCamPlusPlusMethod : GradientWeightedMethod
{
    public override string Name => "gradcam++";

    public override string Title => "Grad-CAM++";

    internal override Tensor Map(Tensor a, Tensor g)
    {
        var alpha = TensorMaps.DivideOrZero((g != 0).to_type(g.dtype), 2 + a.sum([2, 3], keepdim: true) * g);
        return Weighted((alpha * g.relu()).sum([2, 3], keepdim: true), a);
    }
}
