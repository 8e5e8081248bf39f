using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>Guided Backpropagation (Springenberg et al., ICLR-W 2015): guided input gradients, no layer maps.</summary>
internal sealed class GuidedBackpropMethod : CamMethodDefinition
{
    public override string Name => "guided-backprop";

    public override string Title => "Guided Backprop";

    public override bool UsesGuidedBackprop => true;

    internal override Tensor[] LayerMaps(ICamPass pass) => [];

    internal override (Tensor Cam, Tensor Heat) Combine(Func<(Tensor Cam, Tensor Heat)> fusedLayers, Func<Tensor> guided)
    {
        var cam = guided();
        return (cam, TensorMaps.MinMaxNormalise(cam));
    }
}
