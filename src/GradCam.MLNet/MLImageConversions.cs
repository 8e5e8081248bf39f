using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using OpenCvSharp;

namespace GradCam.MLNet;

/// <summary>Conversions between OpenCV images and ML.NET's <see cref="MLImage"/>.</summary>
public static class MLImageConversions
{
    /// <summary>Copies an 8-bit BGR (or grey, or BGRA) OpenCV image into a new <see cref="MLImage"/> (BGRA32).</summary>
    /// <param name="image">The OpenCV image.</param>
    /// <returns>The ML.NET image; the caller disposes it.</returns>
    public static MLImage ToMLImage(this Mat image)
    {
        using var bgra = new Mat();
        var code = image.Channels() switch
        {
            1 => ColorConversionCodes.GRAY2BGRA,
            3 => ColorConversionCodes.BGR2BGRA,
            4 => (ColorConversionCodes?)null,
            var c => throw new ArgumentException($"image must have 1, 3 or 4 channels, got {c}", nameof(image)),
        };
        if (code is { } c2) Cv2.CvtColor(image, bgra, c2);
        else image.CopyTo(bgra);
        var bytes = new byte[bgra.Rows * bgra.Cols * 4];
        Marshal.Copy(bgra.Data, bytes, 0, bytes.Length);
        return MLImage.CreateFromPixels(bgra.Cols, bgra.Rows, MLPixelFormat.Bgra32, bytes);
    }
}
