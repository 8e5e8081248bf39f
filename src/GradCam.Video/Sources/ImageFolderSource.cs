using GradCam.Imaging;
using OpenCvSharp;

namespace GradCam.Video.Sources;

/// <summary>An image sequence: the image files of a folder in name order, played at a nominal frame rate.</summary>
public sealed class ImageFolderSource : IFrameSource
{
    private static readonly HashSet<string> s_extensions = new(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp" };

    private readonly string[] _files;
    private int _next;

    /// <summary>Lists the folder's images.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It holds no image, or the first image is unreadable.</exception>
    public ImageFolderSource(string folder, double fps)
    {
        _files = ImageFiles(folder);
        Size = _files.Select(f => { using var m = Decode(f); return m?.Size(); })
            .FirstOrDefault(s => s is not null) ?? throw new InvalidDataException($"no image of folder '{folder}' can be decoded");
        Description = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        Fps = fps;
    }

    /// <summary>The image files of a folder, in name order.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">It holds no image.</exception>
    public static string[] ImageFiles(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"image folder '{folder}' not found");
        var files = Directory.EnumerateFiles(folder).Where(f => s_extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"image folder '{folder}' holds no image (png, jpg, bmp, tif, webp)");
        return files;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public double Fps { get; }

    /// <inheritdoc />
    public Size Size { get; }

    /// <inheritdoc />
    public long? FrameCount => _files.Length;

    /// <inheritdoc />
    public bool IsLive => false;

    /// <inheritdoc />
    public FrameReadResult Read(Mat frame)
    {
        if (_next >= _files.Length) return FrameReadResult.End;
        using var image = Decode(_files[_next++]);
        if (image is null) return FrameReadResult.Corrupt;
        // Frames of a sequence share the first image's size, as a video's do.
        if (image.Size() != Size) Cv2.Resize(image, frame, Size, 0, 0, InterpolationFlags.Area);
        else image.CopyTo(frame);
        return FrameReadResult.Frame;
    }

    /// <summary>The image, or null when it cannot be decoded (corrupt, truncated, or beyond OpenCV's pixel limit).</summary>
    private static Mat? Decode(string path)
    {
        if (ImagePreprocessor.IsTruncated(path)) return null;
        try
        {
            return ImagePreprocessor.Load(path);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() { }
}
