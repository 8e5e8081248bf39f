using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// The copies of a batch that one explanation averages over: the images themselves, their horizontal mirrors
/// (flip averaging) and noisy copies (noise averaging). View <c>v</c> is orientation <c>v / Samples</c> with noise
/// sample <c>v % Samples</c>. Views are explained one after the other rather than stacked into one larger batch:
/// on a CPU, convolutions slow down per image as batches grow past a few images, so the cost stays linear.
/// </summary>
internal sealed class ViewBatch
{
    private readonly Tensor[] _noise;
    private readonly Tensor? _sigma;

    public ViewBatch(Tensor clean, ExplainerOptions options)
    {
        Clean = clean;
        Items = clean.shape[0];
        Flips = options.FlipAveraging ? 2 : 1;
        Samples = Math.Max(1, options.SmoothSamples);
        _noise = [];
        if (Samples == 1) return;
        // One noise pattern per copy, shared by the items and scaled by each image's value range: an image's
        // map does not depend on the other images in the batch, and the seed makes it reproducible.
        using var generator = new torch.Generator((ulong)options.Seed);
        _sigma = (clean.amax([1, 2, 3], keepdim: true) - clean.amin([1, 2, 3], keepdim: true)) * options.SmoothNoise;
        _noise = Enumerable.Range(0, Count)
            .Select(_ => torch.randn([1, clean.shape[1], clean.shape[2], clean.shape[3]], generator: generator).to(clean.device))
            .ToArray();
    }

    /// <summary>The images as given.</summary>
    public Tensor Clean { get; }

    /// <summary>Images per view.</summary>
    public long Items { get; }

    /// <summary>1, or 2 with the mirrored images.</summary>
    public int Flips { get; }

    /// <summary>Noisy copies per orientation (1: no noise).</summary>
    public int Samples { get; }

    /// <summary>How many views.</summary>
    public int Count => Flips * Samples;

    /// <summary>Whether view 0 is the clean images.</summary>
    public bool CleanFirst => Samples == 1;

    /// <summary>View <paramref name="v"/>: <c>[Items, C, H, W]</c>.</summary>
    public Tensor View(int v)
    {
        var image = v / Samples == 1 ? Clean.flip(3) : Clean;
        return Samples == 1 ? image : image + _noise[v] * _sigma!;
    }

    /// <summary>Averages the views' maps (<c>[Items, h, w]</c> each, in view order) into one map per image, mirrored maps flipped back.</summary>
    public Tensor Reduce(IReadOnlyList<Tensor> maps)
    {
        if (Count == 1) return maps[0];
        var perOrientation = Enumerable.Range(0, Flips)
            .Select(f => torch.stack(maps.Skip(f * Samples).Take(Samples).ToArray()).mean([0]))
            .ToArray();
        return Flips == 1 ? perOrientation[0] : (perOrientation[0] + perOrientation[1].flip(2)) / 2;
    }
}
