using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>Guided Grad-CAM (Selvaraju et al., 2017): Guided Backpropagation times the upsampled, normalised Grad-CAM heatmap.</summary>
internal sealed class GuidedGradCamMethod : GradCamMethod
{
    public override string Name => "guided-gradcam";

    public override string Title => "Guided Grad-CAM";

    public override bool UsesGuidedBackprop => true;

    internal override (Tensor Cam, Tensor Heat) Combine(Func<(Tensor Cam, Tensor Heat)> fusedLayers, Func<Tensor> guided)
    {
        var (_, heat) = fusedLayers();
        var cam = guided() * heat;
        return (cam, TensorMaps.MinMaxNormalise(cam));
    }
}
