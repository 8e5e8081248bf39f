using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>Operations on batches of maps held as tensors (<see cref="CamMap"/> is the managed counterpart).</summary>
internal static class TensorMaps
{
    /// <summary>Min-max normalises each map of a batch (first dimension) to [0, 1]; a flat map becomes zeros rather than NaN.</summary>
    public static Tensor MinMaxNormalise(Tensor maps)
    {
        var flat = maps.flatten(1);
        var min = flat.amin([1], keepdim: true);
        var range = flat.amax([1], keepdim: true) - min;
        var normalised = (flat - min) / range.clamp_min(1e-12f);
        return torch.where(range > 0, normalised, torch.zeros_like(normalised)).view_as(maps);
    }

    /// <summary>
    /// <paramref name="numerator"/> / <paramref name="denominator"/> element by element (broadcasting), 0 where the
    /// denominator is 0: no epsilon, which would bend quotients whose denominators are merely small.
    /// </summary>
    public static Tensor DivideOrZero(Tensor numerator, Tensor denominator)
    {
        var nonzero = denominator != 0;
        var quotient = numerator / torch.where(nonzero, denominator, torch.ones_like(denominator));
        return torch.where(nonzero, quotient, torch.zeros_like(quotient));
    }
}
