namespace GradCam.Models.Architectures;

/// <summary>The shape of a <see cref="Vgg"/> network.</summary>
/// <param name="Features">Conv widths in order; 0 stands for a 2x2 max pool (torchvision's "M").</param>
/// <param name="Hidden">Widths of the hidden fully connected layers of the classifier.</param>
/// <param name="NumClasses">Number of output classes.</param>
/// <param name="PoolSize">Side of the adaptive average pool before the classifier (7 in torchvision).</param>
/// <param name="BatchNorm">Whether each conv is followed by BatchNorm2d.</param>
/// <param name="Dropout">Dropout probability in the classifier (inactive at inference).</param>
/// <param name="InputChannels">Channels of the input image.</param>
public sealed record VggConfig(
    int[] Features,
    int[] Hidden,
    int NumClasses,
    int PoolSize = 7,
    bool BatchNorm = false,
    double Dropout = 0.5,
    int InputChannels = 3)
{
    /// <summary>
    /// Checks that the configuration describes a buildable network of sane size, so that a hostile or corrupt package
    /// cannot make <see cref="Vgg"/> allocate gigabytes before its weights are even read.
    /// </summary>
    /// <exception cref="ArgumentException">A count out of range; the message names it.</exception>
    public void Validate()
    {
        const int maxChannels = 1 << 16, maxWidth = 1 << 20;
        if (Features is null || Features.Length == 0 || Features.Length > 256) throw new ArgumentException($"features must list 1 to 256 layers, got {Features?.Length ?? 0}");
        if (Features.Any(c => c < 0 || c > maxChannels)) throw new ArgumentException($"feature channels must be 0 (a pool) or 1 to {maxChannels}, got [{string.Join(", ", Features)}]");
        if (Features.All(c => c == 0)) throw new ArgumentException("features hold no convolution");
        if (Hidden is null || Hidden.Length > 16 || Hidden.Any(h => h < 1 || h > maxWidth)) throw new ArgumentException($"hidden layers must be at most 16 of 1 to {maxWidth} units, got [{string.Join(", ", Hidden ?? [])}]");
        if (NumClasses < 1 || NumClasses > maxWidth) throw new ArgumentException($"numClasses must be 1 to {maxWidth}, got {NumClasses}");
        if (PoolSize < 1 || PoolSize > 64) throw new ArgumentException($"poolSize must be 1 to 64, got {PoolSize}");
        if (InputChannels < 1 || InputChannels > 16) throw new ArgumentException($"inputChannels must be 1 to 16, got {InputChannels}");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"dropout must be in [0, 1), got {Dropout}");
    }

    /// <summary>The convolution and linear weights and biases the network holds (batch-norm statistics aside), without building it.</summary>
    public double ParameterCount()
    {
        double count = 0, channels = InputChannels;
        foreach (int c in Features.Where(c => c > 0))
        {
            count += channels * c * 9 + c;
            channels = c;
        }
        double width = channels * PoolSize * PoolSize;
        foreach (int h in Hidden.Append(NumClasses))
        {
            count += width * h + h;
            width = h;
        }
        return count;
    }

    /// <summary>torchvision's vgg16 (configuration "D"), 1000 classes.</summary>
    public static VggConfig Vgg16 { get; } = new(
        [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0], [4096, 4096], 1000);
}
