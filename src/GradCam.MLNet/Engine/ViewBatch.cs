using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// The copies of a batch that one explanation averages over, stacked into one batch so that they share a forward pass:
/// the images themselves, their horizontal mirrors (flip averaging) and noisy copies (noise averaging).
/// Layout: <c>[flip][sample][item]</c>.
/// </summary>
internal sealed class ViewBatch
{
    public ViewBatch(Tensor clean, ExplainerOptions options)
    {
        Clean = clean;
        Items = clean.shape[0];
        Flips = options.FlipAveraging ? 2 : 1;
        Samples = Math.Max(1, options.SmoothSamples);
        var orientations = Flips == 2 ? new[] { clean, clean.flip(3) } : new[] { clean };
        if (Samples == 1)
        {
            Batch = Flips == 1 ? clean : torch.cat(orientations);
            return;
        }
        // One noise pattern per copy, shared by the items and scaled by each image's value range: an image's
        // map does not depend on the other images in the batch, and a seed makes it reproducible.
        using var generator = new torch.Generator((ulong)options.Seed);
        var sigma = (clean.amax([1, 2, 3], keepdim: true) - clean.amin([1, 2, 3], keepdim: true)) * options.SmoothNoise;
        var copies = new List<Tensor>();
        foreach (var image in orientations)
            for (int s = 0; s < Samples; s++)
            {
                var noise = torch.randn([1, clean.shape[1], clean.shape[2], clean.shape[3]], generator: generator).to(clean.device);
                copies.Add(image + noise * sigma);
            }
        Batch = torch.cat(copies);
    }

    /// <summary>The images as given.</summary>
    public Tensor Clean { get; }

    /// <summary>All copies, <c>[Count x Items, C, H, W]</c>.</summary>
    public Tensor Batch { get; }

    /// <summary>Images per copy.</summary>
    public long Items { get; }

    /// <summary>1, or 2 with the mirrored images.</summary>
    public int Flips { get; }

    /// <summary>Noisy copies per orientation (1: no noise).</summary>
    public int Samples { get; }

    /// <summary>How many copies of the batch.</summary>
    public int Count => Flips * Samples;

    /// <summary>Whether the batch's first <see cref="Items"/> rows are the clean images.</summary>
    public bool CleanFirst => Samples == 1;

    /// <summary>Averages per-view maps <c>[Count x Items, h, w]</c> into one map per image <c>[Items, h, w]</c>, mirrored maps flipped back.</summary>
    public Tensor Reduce(Tensor maps)
    {
        if (Count == 1) return maps;
        var perView = maps.reshape(Flips, Samples, Items, maps.shape[1], maps.shape[2]).mean([1]);
        return Flips == 1 ? perView[0] : (perView[0] + perView[1].flip(2)) / 2;
    }
}
