using OpenCvSharp;

namespace GradCam.Video.Sinks;

/// <summary>
/// Writes composed frames to a video file at the source's rate and size: <c>.mp4</c>/<c>.mov</c>/<c>.mkv</c> as MPEG-4
/// Part 2 (<c>mp4v</c>), <c>.avi</c> as Motion JPEG (the bundled FFmpeg has no H.264 encoder).
/// <see cref="Complete"/> finalises the container, so a stopped replay still leaves a playable file.
/// </summary>
public sealed class VideoFileSink : IFrameSink
{
    private readonly VideoWriter _writer;
    private readonly Size _size;
    private bool _completed;

    /// <summary>Opens the output file.</summary>
    /// <exception cref="IOException">The file cannot be created or the format is not supported.</exception>
    public VideoFileSink(string path, double fps, Size size)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        FourCC fourcc = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".avi" => FourCC.MJPG,
            ".mp4" or ".mov" or ".mkv" or ".m4v" => FourCC.FromString("mp4v"), // lower case: the tag FFmpeg expects in MP4
            var ext => throw new ArgumentException($"output video '{path}': unsupported extension '{ext}' (expected .mp4, .mov, .mkv or .avi)"),
        };
        _size = size;
        _writer = new VideoWriter(full, fourcc, fps, size);
        if (!_writer.IsOpened())
        {
            _writer.Dispose();
            throw new IOException($"output video '{path}' could not be created");
        }
        OutputPath = full;
    }

    /// <summary>The output file.</summary>
    public string OutputPath { get; }

    /// <summary>Frames written.</summary>
    public long Frames { get; private set; }

    /// <inheritdoc />
    public void Write(Frame frame) => WriteImage(frame.Composed ?? frame.Image);

    /// <summary>Writes one image (resized when its size differs from the video's).</summary>
    public void WriteImage(Mat image)
    {
        if (image.Size() == _size) _writer.Write(image);
        else
        {
            using var resized = new Mat();
            Cv2.Resize(image, resized, _size);
            _writer.Write(resized);
        }
        Frames++;
    }

    /// <inheritdoc />
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _writer.Release();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Complete();
        _writer.Dispose();
    }
}
