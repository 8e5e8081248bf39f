using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>How to build a <see cref="ModelZoo"/> model.</summary>
public sealed class ZooModelOptions
{
    /// <summary>The state_dict file (<c>.pth</c>/<c>.pt</c> zip or legacy, <c>.safetensors</c>, TorchSharp); required unless <see cref="RandomWeights"/>.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Use seeded random weights (torchvision's VGG initialisation scheme from a private generator) instead of a file: for smoke tests and benchmarks only, the predictions mean nothing.</summary>
    public bool RandomWeights { get; init; }

    /// <summary>The seed for <see cref="RandomWeights"/>.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>Where the model runs; the CPU when null.</summary>
    public Device? Device { get; init; }

    /// <summary>Class names; ImageNet's when null.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
}
