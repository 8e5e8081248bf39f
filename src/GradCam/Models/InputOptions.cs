namespace GradCam.Models;

/// <summary>
/// What a model file may leave open about its input: its size when the file's spatial dimensions are dynamic, and the
/// preprocessing it was trained with (a preset, or explicit mean, std, scale and channel order). Model files that
/// state their input (zoo networks, model packages, saved ML.NET models) ignore what they state themselves.
/// </summary>
public record InputOptions
{
    /// <summary>The input height and width; required when the model's spatial dimensions are dynamic, and must agree with fixed ones.</summary>
    public (int Height, int Width)? InputSize { get; init; }

    /// <summary>A preprocessing preset (see <see cref="InputSpec.FromPreset"/>): <c>imagenet</c> (default), <c>none</c>, <c>raw</c> or <c>caffe</c>.</summary>
    public string Preprocessing { get; init; } = "imagenet";

    /// <summary>Per-channel (R, G, B) mean subtracted after scaling; overrides the preset's.</summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-channel (R, G, B) standard deviation; overrides the preset's.</summary>
    public float[]? Std { get; init; }

    /// <summary>The factor taking pixels from [0, 1] to the model's range (1 or 255); overrides the preset's.</summary>
    public float? Scale { get; init; }

    /// <summary>Whether the network takes B, G, R planes; overrides the preset's.</summary>
    public bool? Bgr { get; init; }

    /// <summary>The input specification these options give at a size.</summary>
    /// <param name="width">The input width.</param>
    /// <param name="height">The input height.</param>
    /// <exception cref="ArgumentException">An unknown preset or invalid values.</exception>
    public InputSpec ResolveInput(int width, int height)
    {
        var preset = InputSpec.FromPreset(Preprocessing, width, height);
        var spec = preset with
        {
            Mean = Mean ?? preset.Mean,
            Std = Std ?? preset.Std,
            Scale = Scale ?? preset.Scale,
            Bgr = Bgr ?? preset.Bgr,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>The options that reproduce an input specification exactly (its size, statistics, scale and channel order).</summary>
    /// <param name="spec">The specification.</param>
    public static InputOptions Exactly(InputSpec spec) => new()
    {
        InputSize = (spec.Height, spec.Width),
        Mean = spec.Mean,
        Std = spec.Std,
        Scale = spec.Scale,
        Bgr = spec.Bgr,
    };
}
