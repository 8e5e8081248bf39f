using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// One explanation method: its names, what it needs, and how it computes a raw map per target layer. Each method is one
/// small class in this folder, registered by the <see cref="MethodAttribute"/> on its <see cref="CamMethod"/> member;
/// <see cref="CamMethods"/> finds them.
/// </summary>
public abstract class CamMethodDefinition
{
    private protected CamMethodDefinition()
    {
    }

    /// <summary>The command-line name, e.g. <c>gradcam++</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The usual written name, e.g. <c>Grad-CAM++</c>.</summary>
    public abstract string Title { get; }

    /// <summary>The enum member this definition is registered under.</summary>
    public CamMethod Method { get; internal set; }

    /// <summary>Whether the method differentiates the class score (and so can be averaged over noise).</summary>
    public virtual bool UsesGradients => true;

    /// <summary>Whether the method uses Guided Backpropagation's input gradients: it needs ReLU modules, and its map is at input resolution.</summary>
    public virtual bool UsesGuidedBackprop => false;

    /// <summary>What the method's long work counts when it reports progress (Score-CAM: masked images); null when it reports none.</summary>
    public virtual string? ProgressUnit => null;

    /// <summary>Each target layer's raw map <c>[N, h, w]</c> for one view of the batch; empty for a method without layer maps.</summary>
    internal abstract Tensor[] LayerMaps(ICamPass pass);

    /// <summary>
    /// The final raw map and heatmap from the fused layer maps and, for guided methods, the guided gradients (both
    /// computed only when asked for). By default, the fused layer maps.
    /// </summary>
    internal virtual (Tensor Cam, Tensor Heat) Combine(Func<(Tensor Cam, Tensor Heat)> fusedLayers, Func<Tensor> guided) => fusedLayers();
}
