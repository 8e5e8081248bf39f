namespace GradCam.Models;

/// <summary>How a model expects its input: size, and per-channel mean/std applied to RGB values in [0, 1].</summary>
/// <param name="Width">Input width in pixels.</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Mean">Per-channel (R, G, B) mean subtracted after scaling to [0, 1].</param>
/// <param name="Std">Per-channel (R, G, B) standard deviation divided by.</param>
public sealed record InputSpec(int Width, int Height, float[] Mean, float[] Std)
{
    /// <summary>ImageNet models: 224x224, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static InputSpec ImageNet { get; } = new(224, 224, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
}
