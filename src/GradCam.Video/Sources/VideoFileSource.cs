using OpenCvSharp;

namespace GradCam.Video.Sources;

/// <summary>Frames of a video file decoded by OpenCV's bundled FFmpeg (local files only: it has no network support).</summary>
public sealed class VideoFileSource : IFrameSource
{
    // A read failure before the known end is a corrupt frame; this many in a row means the file is broken from there on.
    private const int MaxConsecutiveFailures = 30;
    private readonly VideoCapture _capture;
    private long _position;
    private int _failures;

    /// <summary>Opens a video file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">OpenCV cannot decode it.</exception>
    public VideoFileSource(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"video '{path}' not found", path);
        _capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!_capture.IsOpened() || _capture.FrameWidth <= 0)
        {
            _capture.Dispose();
            throw new InvalidDataException($"video '{path}' could not be opened (expected a video file FFmpeg can decode: mp4, avi, mkv, ...)");
        }
        Description = Path.GetFileName(path);
        double fps = _capture.Fps;
        Fps = fps is > 0 and < 1000 ? fps : 25;
        Size = new Size(_capture.FrameWidth, _capture.FrameHeight);
        long count = _capture.FrameCount;
        FrameCount = count > 0 ? count : null;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public double Fps { get; }

    /// <inheritdoc />
    public Size Size { get; }

    /// <inheritdoc />
    public long? FrameCount { get; }

    /// <inheritdoc />
    public bool IsLive => false;

    /// <inheritdoc />
    public FrameReadResult Read(Mat frame)
    {
        if (_capture.Read(frame) && !frame.Empty())
        {
            _position++;
            _failures = 0;
            return FrameReadResult.Frame;
        }
        if (FrameCount is not long count || _position >= count - 1 || ++_failures > MaxConsecutiveFailures)
            return FrameReadResult.End;
        _position++;
        return FrameReadResult.Corrupt;
    }

    /// <inheritdoc />
    public void Dispose() => _capture.Dispose();
}
