using GradCam.Engine.Methods;

namespace GradCam.Engine;

/// <summary>How a <see cref="GradCamExplainer"/> computes its maps: method, target layers, fusion and averaging.</summary>
public sealed class ExplainerOptions
{
    /// <summary>The explanation method. Default: Grad-CAM.</summary>
    public CamMethod Method { get; set; } = CamMethod.GradCam;

    /// <summary>The dotted names of the target layers; the model's default layer when empty. With several, their maps are fused (see <see cref="Fusion"/>).</summary>
    public IReadOnlyList<string> Layers { get; set; } = [];

    /// <summary>How several layers' maps are fused. Default: mean of the normalised maps.</summary>
    public LayerFusion Fusion { get; set; } = LayerFusion.Mean;

    /// <summary>Test-time augmentation: also explain the horizontally flipped image and average its map, flipped back, with the original's.</summary>
    public bool FlipAveraging { get; set; }

    /// <summary>
    /// SmoothGrad-style noise averaging (Smilkov et al., 2017) for gradient methods: the map is the mean of the maps of this
    /// many copies of the input with Gaussian noise added. 0 or 1: off.
    /// </summary>
    public int SmoothSamples { get; set; }

    /// <summary>The noise's standard deviation as a fraction of the input's value range (SmoothGrad's 10–20 %). Default 0.15.</summary>
    public double SmoothNoise { get; set; } = 0.15;

    /// <summary>Seed of the noise, so that noise-averaged maps are reproducible.</summary>
    public int Seed { get; set; } = 1234;

    /// <summary>
    /// Masked images per forward pass in Score-CAM; 0 (default) picks 1 on the CPU, where larger batches measured slower
    /// per image (see the README's benchmark), and 32 on a GPU. Does not change the result, only speed and memory.
    /// </summary>
    public int ScoreCamBatchSize { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range or does not apply to the method; the message names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentException($"unknown method {(int)Method}", nameof(Method));
        if (!Enum.IsDefined(Fusion)) throw new ArgumentException($"unknown layer fusion {(int)Fusion}", nameof(Fusion));
        if (SmoothSamples < 0) throw new ArgumentException($"SmoothSamples must be 0 or more, got {SmoothSamples}", nameof(SmoothSamples));
        if (SmoothSamples > 1 && !CamMethods.Get(Method).UsesGradients)
            throw new ArgumentException($"noise averaging applies to gradient methods; {CamMethods.Get(Method).Name} uses no gradients", nameof(SmoothSamples));
        if (!(SmoothNoise >= 0)) throw new ArgumentException($"SmoothNoise must be 0 or more, got {SmoothNoise}", nameof(SmoothNoise));
        if (ScoreCamBatchSize < 0) throw new ArgumentException($"ScoreCamBatchSize must be 0 (automatic) or more, got {ScoreCamBatchSize}", nameof(ScoreCamBatchSize));
    }

    /// <summary>A copy, so that an explainer is not affected by later changes to the caller's object.</summary>
    public ExplainerOptions Clone() => (ExplainerOptions)MemberwiseClone();
}
