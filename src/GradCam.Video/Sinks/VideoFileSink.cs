using GradCam.IO;
using OpenCvSharp;

namespace GradCam.Video.Sinks;

/// <summary>
/// Writes composed frames to a video file at the source's rate and size: <c>.mp4</c>/<c>.mov</c>/<c>.mkv</c> as MPEG-4
/// Part 2 (<c>mp4v</c>), <c>.avi</c> as Motion JPEG (the bundled FFmpeg has no H.264 encoder).
/// The video is written under a temporary name and moved over <see cref="OutputPath"/> by <see cref="Complete"/> once
/// finalised and checked (every frame readable back), so a stopped replay leaves a playable file, and a failed or empty
/// one leaves an existing file untouched.
/// </summary>
public sealed class VideoFileSink : IFrameSink
{
    private readonly VideoWriter _writer;
    private readonly PendingFile _file;
    private readonly Size _size;
    private bool _completed;

    /// <summary>Opens the output file.</summary>
    /// <exception cref="IOException">The file cannot be created or the format is not supported.</exception>
    public VideoFileSink(string path, double fps, Size size)
    {
        FourCC fourcc = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".avi" => FourCC.MJPG,
            ".mp4" or ".mov" or ".mkv" or ".m4v" => FourCC.FromString("mp4v"), // lower case: the tag FFmpeg expects in MP4
            var ext => throw new ArgumentException($"output video '{path}': unsupported extension '{ext}' (expected .mp4, .mov, .mkv or .avi)"),
        };
        _file = new PendingFile(path, "output video");
        _size = size;
        _writer = new VideoWriter(_file.TempPath, fourcc, fps, size);
        if (!_writer.IsOpened())
        {
            _writer.Dispose();
            _file.Discard();
            throw new IOException($"output video '{path}' could not be created");
        }
        OutputPath = _file.Path;
    }

    /// <summary>The output file.</summary>
    public string OutputPath { get; }

    /// <summary>Whether <see cref="Complete"/> put the video in place (false when no frame was written).</summary>
    public bool Written => _file.Committed;

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

    /// <summary>Finalises the container and moves it into place; with no frame written, nothing is written.</summary>
    /// <exception cref="IOException">Fewer frames can be read back than were written (a full disk, a failing device); the
    /// incomplete file is removed and an existing one at <see cref="OutputPath"/> is left untouched.</exception>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _writer.Release();
        if (Frames == 0)
        {
            _file.Discard();
            return;
        }
        long readable = ReadableFrames(_file.TempPath);
        if (readable != Frames)
        {
            _file.Discard();
            throw new IOException($"output video '{OutputPath}' could not be written: {readable} of {Frames} frames readable (is the disk full?)");
        }
        _file.Commit();
    }

    private static long ReadableFrames(string path)
    {
        using var capture = new VideoCapture(path);
        return capture.IsOpened() ? (long)capture.Get(VideoCaptureProperties.FrameCount) : 0;
    }

    /// <summary>Closes the writer; a video not completed (the run never started or failed to start) is discarded.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _writer.Release();
            _file.Discard();
        }
        _writer.Dispose();
    }
}
