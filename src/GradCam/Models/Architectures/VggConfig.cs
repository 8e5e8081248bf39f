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
    /// <summary>torchvision's vgg16 (configuration "D"), 1000 classes.</summary>
    public static VggConfig Vgg16 { get; } = new(
        [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0], [4096, 4096], 1000);
}
