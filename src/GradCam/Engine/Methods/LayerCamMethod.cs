using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>LayerCAM (Jiang et al., IEEE TIP 2021): <c>ReLU(sum_k ReLU(dy^c/dA^k) ⊙ A^k)</c>.</summary>
internal sealed class LayerCamMethod : GradientWeightedMethod
{
    public override string Name => "layercam";

    public override string Title => "LayerCAM";

    internal override Tensor Map(Tensor a, Tensor g) => (g.relu() * a).sum(1).relu();
}
