using GradCam.Models;
using GradCam.Models.Architectures;

namespace GradCam.Dashcam.Training;

/// <summary>The stop/go CNN: VGG-style with torchvision's names, small enough to replay faster than real time on 2 cores.</summary>
public static class StopGoModel
{
    /// <summary>Class names, by index.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["go", "stop"];

    /// <summary>The index of <c>stop</c>.</summary>
    public const int Stop = 1;

    /// <summary>Frames are resized to 160x96 and normalised like ImageNet models.</summary>
    public static InputSpec Input { get; } = new(160, 96, InputSpec.ImageNet.Mean, InputSpec.ImageNet.Std);

    /// <summary>Four 3x3 conv blocks (16, 32, 64, 64 channels, BatchNorm), the last at 1/8 resolution (20x12), then a
    /// 64-unit classifier. Grad-CAM's default layer is the last conv, <c>features.12</c>.</summary>
    public static VggConfig Architecture { get; } = new([16, 0, 32, 0, 64, 0, 64], [64], 2, PoolSize: 4, BatchNorm: true, Dropout: 0.3);
}
