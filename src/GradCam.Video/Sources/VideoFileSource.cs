using OpenCvSharp;

namespace GradCam.Video.Sources;

/// <summary>Frames of a video file decoded by OpenCV's bundled FFmpeg (local files only: it has no network support).</summary>
public sealed class VideoFileSource : IFrameSource
{
    // A read failure before the known end is a corrupt frame if a later frame decodes within this many; otherwise the
    // file ends early (truncated), which is not a corrupt frame.
    private const int MaxConsecutiveFailures = 30;
    private readonly VideoCapture _capture;
    private long _position;
    private int _corruptAhead;   // corrupt frames found while looking ahead, still to report
    private Mat? _decodedAhead;  // the frame that ended them

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

    /// <summary>Frames read (and corrupt ones skipped) so far.</summary>
    public long Position => _position;

    /// <summary>Whether the file ended before the frame count its header gives (a truncated file); see <see cref="Position"/>.</summary>
    public bool EndedEarly { get; private set; }

    /// <inheritdoc />
    public FrameReadResult Read(Mat frame)
    {
        if (_corruptAhead > 0)
        {
            _corruptAhead--;
            _position++;
            return FrameReadResult.Corrupt;
        }
        if (_decodedAhead is not null)
        {
            _decodedAhead.CopyTo(frame);
            _decodedAhead.Dispose();
            _decodedAhead = null;
            _position++;
            return FrameReadResult.Frame;
        }
        if (_capture.Read(frame) && !frame.Empty())
        {
            _position++;
            return FrameReadResult.Frame;
        }
        if (FrameCount is not long count || _position >= count - 1) return FrameReadResult.End;
        // Before the known end: corrupt frames if a later one decodes, else the file was cut short.
        var ahead = new Mat();
        for (int failed = 1; failed <= MaxConsecutiveFailures && _position + failed < count; failed++)
        {
            if (_capture.Read(ahead) && !ahead.Empty())
            {
                _decodedAhead = ahead;
                _corruptAhead = failed - 1;
                _position++;
                return FrameReadResult.Corrupt;
            }
        }
        ahead.Dispose();
        EndedEarly = true;
        return FrameReadResult.End;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _decodedAhead?.Dispose();
        _capture.Dispose();
    }
}
