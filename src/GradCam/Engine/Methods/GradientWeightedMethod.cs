using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// A map from a layer's activations <c>A</c> and the gradients <c>G = dy^c/dA</c> (both <c>[N, C, h, w]</c>): a few
/// element-wise operations on tensors the size of the layer, whose cost next to the forward pass is nil.
/// </summary>
internal abstract class GradientWeightedMethod : CamMethodDefinition
{
    internal override Tensor[] LayerMaps(ICamPass pass) => pass.ActivationsAndGradients().Select(ag => Map(ag.A, ag.G)).ToArray();

    /// <summary>The raw map <c>[N, h, w]</c>.</summary>
    internal abstract Tensor Map(Tensor a, Tensor g);

    /// <summary><c>ReLU(sum_k w_k A^k)</c> for channel weights <c>[N, C, 1, 1]</c>.</summary>
    protected static Tensor Weighted(Tensor weights, Tensor a) => (weights * a).sum(1).relu();
}
