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
        Mat image;
        try
        {
            image = Cv2.ImRead(path, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            // E.g. more pixels than OpenCV decodes (2^30): refused from the header, before any allocation.
            throw new InvalidDataException($"image '{path}' could not be decoded: {e.Message.Split('\n')[0].Trim()}", e);
        }
        if (image.Empty())
        {
            image.Dispose();
            throw new InvalidDataException($"image '{path}' could not be decoded (expected a JPEG, PNG, BMP, TIFF or WebP file)");
        }
        return image;
    }

    /// <summary>
    /// Whether a JPEG or PNG file ends before its image does (a cut download, a full disk): decoders return such images
    /// with the missing part grey, which would be explained as if it were real. Other formats are not checked.
    /// </summary>
    /// <param name="path">The image file.</param>
    public static bool IsTruncated(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[8];
        if (file.Read(head) < 8) return true;
        bool jpeg = head[0] == 0xFF && head[1] == 0xD8;
        bool png = head.SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        if (!jpeg && !png) return false;
        // The end: a JPEG's EOI marker (FF D9, possibly followed by padding), a PNG's IEND chunk.
        int tailLength = (int)Math.Min(file.Length, 64);
        var tail = new byte[tailLength];
        file.Seek(-tailLength, SeekOrigin.End);
        file.ReadExactly(tail);
        if (png) return !tail.AsSpan().EndsWith(new byte[] { 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 });
        int end = tail.Length;
        while (end > 0 && tail[end - 1] is 0x00 or 0x0A or 0x0D or 0x20) end--;
        return end < 2 || tail[end - 2] != 0xFF || tail[end - 1] != 0xD9;
    }

    /// <summary>Converts one BGR image to a normalised <c>[3, H, W]</c> float tensor at the model's input size.</summary>
    /// <param name="bgr">An 8-bit image with 1, 3 or 4 channels in OpenCV's BGR(A) order.</param>
    /// <param name="spec">The model's input size and normalisation.</param>
    /// <returns>A new tensor on the CPU.</returns>
    public static Tensor ToTensor(Mat bgr, InputSpec spec)
    {
        using var scope = torch.NewDisposeScope();
        var hwc = ToBgrHwc(bgr).unsqueeze(0);
        return Normalise(hwc, spec, bgrOrder: true).squeeze(0).MoveToOuterDisposeScope();
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

    /// <summary>
    /// Normalises 8-bit pixels laid out as <c>[N, H, W, 3]</c> (any size) into model input: an antialiased bilinear
    /// resize of the 8-bit image (as PIL and torchvision resize 8-bit images: the result is rounded to 8 bits), then
    /// scaling to [0, 1] and the model's normalisation (<see cref="InputSpec.Standardise"/>).
    /// </summary>
    /// <param name="hwc">Unsigned 8-bit pixels, <c>[N, H, W, 3]</c>.</param>
    /// <param name="spec">The model's input size and normalisation.</param>
    /// <param name="bgrOrder">Whether the channels are B, G, R (OpenCV) rather than R, G, B.</param>
    /// <returns><c>[N, 3, spec.Height, spec.Width]</c> float input, channels in RGB order.</returns>
    public static Tensor Normalise(Tensor hwc, InputSpec spec, bool bgrOrder = false)
    {
        using var scope = torch.NewDisposeScope();
        var x = hwc.permute(0, 3, 1, 2); // a channels-last view: libtorch's fast 8-bit antialiased resize reads it as is
        if (x.shape[2] != spec.Height || x.shape[3] != spec.Width)
            x = nn.functional.interpolate(x, [spec.Height, spec.Width], mode: InterpolationMode.Bilinear,
                                          align_corners: false, antialias: true);
        if (bgrOrder) x = x.flip(1); // on the small resized image: cheaper than converting the full frame
        var unit = x.to_type(ScalarType.Float32).div_(255f);
        return spec.Standardise(unit).MoveToOuterDisposeScope();
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
        return spec.Standardise(x).MoveToOuterDisposeScope();
    }

    /// <summary>Copies an OpenCV image into a <c>[H, W, 3]</c> byte tensor in BGR order.</summary>
    /// <param name="image">An 8-bit image with 1, 3 or 4 channels (BGR order).</param>
    public static Tensor ToBgrHwc(Mat image)
    {
        if (image.Empty()) throw new ArgumentException("image is empty", nameof(image));
        if (image.Depth() != MatType.CV_8U) throw new ArgumentException($"image depth must be 8-bit, got {image.Type()}", nameof(image));
        int channels = image.Channels();
        if (channels is not (1 or 3 or 4)) throw new ArgumentException($"image must have 1, 3 or 4 channels, got {channels}", nameof(image));
        Mat? converted = channels == 3 ? null : new Mat();
        try
        {
            if (converted is not null)
                Cv2.CvtColor(image, converted, channels == 1 ? ColorConversionCodes.GRAY2BGR : ColorConversionCodes.BGRA2BGR);
            var bgr = converted ?? image;
            int rows = bgr.Rows, cols = bgr.Cols, rowBytes = cols * 3;
            var tensor = torch.empty([rows, cols, 3], ScalarType.Byte);
            if (bgr.IsContinuous())
            {
                unsafe
                {
                    // One native-to-native copy of the frame (no managed array on the way).
                    tensor.bytes = new Span<byte>((void*)bgr.Data, rows * rowBytes);
                }
            }
            else
            {
                var bytes = new byte[rows * rowBytes];
                for (int y = 0; y < rows; y++) Marshal.Copy(bgr.Ptr(y), bytes, y * rowBytes, rowBytes);
                tensor.bytes = bytes;
            }
            return tensor;
        }
        finally
        {
            converted?.Dispose();
        }
    }
}
