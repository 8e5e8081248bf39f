namespace GradCam.Evaluation;

/// <summary>Settings of the deletion/insertion curves and the masked-image scores.</summary>
public sealed class FaithfulnessOptions
{
    /// <summary>Points per curve after the start: pixels are deleted or inserted in this many equal steps. Default 20.</summary>
    public int Steps { get; set; } = 20;

    /// <summary>The default <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 16;

    /// <summary>Images per forward pass while scoring. Default 16.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Standard deviation in pixels of the Gaussian blur that insertion starts from (RISE: 5, kernel 11).</summary>
    public double BlurSigma { get; set; } = 5;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"Steps must be at least 1, got {Steps}", nameof(Steps));
        if (BatchSize < 1) throw new ArgumentException($"BatchSize must be at least 1, got {BatchSize}", nameof(BatchSize));
        if (!(BlurSigma > 0)) throw new ArgumentException($"BlurSigma must be positive, got {BlurSigma}", nameof(BlurSigma));
    }
}
