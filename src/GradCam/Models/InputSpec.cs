using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// How a model expects its input: size, and the normalisation of RGB pixels. A pixel's values in [0, 1] are
/// multiplied by <see cref="Scale"/>, then <see cref="Mean"/> is subtracted and the result divided by <see cref="Std"/>
/// (both in R, G, B order); a model that takes B, G, R planes (<see cref="Bgr"/>) gets the planes reversed at the end.
/// </summary>
/// <param name="Width">Input width in pixels.</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Mean">Per-channel (R, G, B) mean subtracted after scaling.</param>
/// <param name="Std">Per-channel (R, G, B) standard deviation divided by.</param>
public sealed record InputSpec(int Width, int Height, float[] Mean, float[] Std)
{
    /// <summary>The preprocessing presets <see cref="FromPreset"/> knows.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["imagenet", "none", "raw", "caffe"];

    /// <summary>ImageNet models: 224x224, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static InputSpec ImageNet { get; } = new(224, 224, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The factor that takes pixel values from [0, 1] to the range the model was trained on: 1 or 255.</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Whether the network takes its colour planes in B, G, R order (Caffe-style models).</summary>
    public bool Bgr { get; init; }

    /// <summary>
    /// A named preprocessing at a given size: <c>imagenet</c> (torchvision's mean/std on RGB in [0, 1]), <c>none</c>
    /// (RGB in [0, 1]), <c>raw</c> (RGB in [0, 255]) or <c>caffe</c> (BGR in [0, 255] minus the ImageNet mean).
    /// </summary>
    /// <param name="name">One of <see cref="PresetNames"/>.</param>
    /// <param name="width">Input width.</param>
    /// <param name="height">Input height.</param>
    /// <exception cref="ArgumentException">Unknown preset.</exception>
    public static InputSpec FromPreset(string name, int width, int height) => name.ToLowerInvariant() switch
    {
        "imagenet" => ImageNet with { Width = width, Height = height },
        "none" => new(width, height, [0f, 0f, 0f], [1f, 1f, 1f]),
        "raw" => new(width, height, [0f, 0f, 0f], [1f, 1f, 1f]) { Scale = 255f },
        "caffe" => new(width, height, [123.68f, 116.779f, 103.939f], [1f, 1f, 1f]) { Scale = 255f, Bgr = true },
        _ => throw new ArgumentException($"unknown preprocessing '{name}'; expected one of {string.Join(", ", PresetNames)}", nameof(name)),
    };

    /// <summary>The per-channel mean in the order the network takes its planes.</summary>
    public float[] ModelMean => Bgr ? Mean.Reverse().ToArray() : Mean;

    /// <summary>The per-channel standard deviation in the order the network takes its planes.</summary>
    public float[] ModelStd => Bgr ? Std.Reverse().ToArray() : Std;

    /// <summary>Checks that the specification can describe an input.</summary>
    /// <exception cref="ArgumentException">A size below 1, mean/std without 3 values, a zero or non-finite std, or a scale that is not positive.</exception>
    public void Validate()
    {
        if (Width < 1 || Height < 1) throw new ArgumentException($"input size must be at least 1x1, got {Width}x{Height}");
        if (Mean.Length != 3 || Std.Length != 3)
            throw new ArgumentException($"mean and std need 3 values (R, G, B), got {Mean.Length} and {Std.Length}");
        if (Std.Any(s => s == 0 || !float.IsFinite(s)) || Mean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException($"std must be finite and non-zero and mean finite, got mean ({string.Join(", ", Mean)}) std ({string.Join(", ", Std)})");
        if (!(Scale > 0) || !float.IsFinite(Scale)) throw new ArgumentException($"scale must be positive, got {Scale}");
    }

    /// <summary>Turns RGB pixels in [0, 1], <c>[N, 3, H, W]</c>, into network input (scale, mean/std, plane order).</summary>
    /// <param name="unitRgb">Float RGB values in [0, 1].</param>
    /// <returns>A new tensor on the input's device.</returns>
    public Tensor Standardise(Tensor unitRgb)
    {
        using var scope = torch.NewDisposeScope();
        var mean = torch.tensor(Mean, device: unitRgb.device).view(1, 3, 1, 1);
        var std = torch.tensor(Std, device: unitRgb.device).view(1, 3, 1, 1);
        var x = (Scale == 1f ? unitRgb : unitRgb.mul(Scale)).sub(mean).div_(std);
        return (Bgr ? x.flip(1) : x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public bool Equals(InputSpec? other) =>
        other is not null && Width == other.Width && Height == other.Height && Mean.SequenceEqual(other.Mean)
        && Std.SequenceEqual(other.Std) && Scale == other.Scale && Bgr == other.Bgr;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Width, Height, Scale, Bgr);
}
