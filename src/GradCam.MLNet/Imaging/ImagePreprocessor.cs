using System.Runtime.InteropServices;
using GradCam.Models;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Imaging;

/// <summary>
/// Turns images into model input as the reference article (and torchvision's ImageNet recipe) does:
/// RGB, resized to the model's input size with antialiased bilinear interpolation, scaled to [0, 1] and
/// normalised per channel with the model's mean and standard deviation.
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>Reads an image file with OpenCV (BGR, 8-bit, 3 channels).</summary>
    /// <param name="path">The image file.</param>
    /// <returns>The decoded image; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable image.</exception>
    public static Mat Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"image '{path}' not found", path);
        var image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty())
        {
            image.Dispose();
            throw new InvalidDataException($"image '{path}' could not be decoded (expected a JPEG, PNG, BMP, TIFF or WebP file)");
        }
        return image;
    }

    /// <summary>Converts one BGR image to a normalised <c>[3, H, W]</c> float tensor at the model's input size.</summary>
    /// <param name="bgr">An 8-bit image with 1, 3 or 4 channels in OpenCV's BGR(A) order.</param>
    /// <param name="spec">The model's input size and normalisation.</param>
    /// <returns>A new tensor on the CPU.</returns>
    public static Tensor ToTensor(Mat bgr, InputSpec spec)
    {
        using var scope = torch.NewDisposeScope();
        using var hwc = ToRgbHwc(bgr);
        return Normalise(hwc.unsqueeze(0), spec).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>Converts images of any sizes into one normalised <c>[N, 3, H, W]</c> batch.</summary>
    /// <param name="images">8-bit BGR(A) or grey images.</param>
    /// <param name="spec">The model's input size and normalisation.</param>
    /// <returns>A new tensor on the CPU.</returns>
    public static Tensor ToBatch(IReadOnlyList<Mat> images, InputSpec spec)
    {
        using var scope = torch.NewDisposeScope();
        var items = images.Select(m => ToTensor(m, spec)).ToArray();
        return torch.stack(items).MoveToOuterDisposeScope();
    }

    /// <summary>Normalises RGB pixel data laid out as <c>[N, H, W, 3]</c> bytes (any size) into model input.</summary>
    /// <param name="rgbHwc">Unsigned 8-bit RGB pixels, <c>[N, H, W, 3]</c>.</param>
    /// <param name="spec">The model's input size and normalisation.</param>
    /// <returns><c>[N, 3, spec.Height, spec.Width]</c> float input.</returns>
    public static Tensor Normalise(Tensor rgbHwc, InputSpec spec)
    {
        using var scope = torch.NewDisposeScope();
        var x = rgbHwc.permute(0, 3, 1, 2).to_type(ScalarType.Float32).div_(255f);
        return NormaliseUnitRange(x, spec).MoveToOuterDisposeScope();
    }

    /// <summary>Resizes RGB images with values in [0, 1], <c>[N, 3, H, W]</c> (any size), and normalises them into model input.</summary>
    /// <param name="rgb">Float RGB pixels in [0, 1].</param>
    /// <param name="spec">The model's input size and normalisation.</param>
    /// <returns><c>[N, 3, spec.Height, spec.Width]</c> float input.</returns>
    public static Tensor NormaliseUnitRange(Tensor rgb, InputSpec spec)
    {
        using var scope = torch.NewDisposeScope();
        var x = rgb;
        if (x.shape[2] != spec.Height || x.shape[3] != spec.Width)
            x = nn.functional.interpolate(x, [spec.Height, spec.Width], mode: InterpolationMode.Bilinear,
                                          align_corners: false, antialias: true);
        var mean = torch.tensor(spec.Mean).view(1, 3, 1, 1);
        var std = torch.tensor(spec.Std).view(1, 3, 1, 1);
        return x.sub(mean).div_(std).MoveToOuterDisposeScope();
    }

    /// <summary>Copies an OpenCV image into a <c>[H, W, 3]</c> RGB byte tensor.</summary>
    /// <param name="image">An 8-bit image with 1, 3 or 4 channels (BGR order).</param>
    public static Tensor ToRgbHwc(Mat image)
    {
        if (image.Empty()) throw new ArgumentException("image is empty", nameof(image));
        if (image.Depth() != MatType.CV_8U) throw new ArgumentException($"image depth must be 8-bit, got {image.Type()}", nameof(image));
        var code = image.Channels() switch
        {
            1 => ColorConversionCodes.GRAY2RGB,
            3 => ColorConversionCodes.BGR2RGB,
            4 => ColorConversionCodes.BGRA2RGB,
            var c => throw new ArgumentException($"image must have 1, 3 or 4 channels, got {c}", nameof(image)),
        };
        using var rgb = new Mat();
        Cv2.CvtColor(image, rgb, code);
        int rows = rgb.Rows, rowBytes = rgb.Cols * 3;
        var bytes = new byte[rows * rowBytes];
        if (rgb.IsContinuous()) Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        else
            for (int y = 0; y < rows; y++) Marshal.Copy(rgb.Ptr(y), bytes, y * rowBytes, rowBytes);
        return torch.tensor(bytes, [rows, rgb.Cols, 3], ScalarType.Byte);
    }
}
