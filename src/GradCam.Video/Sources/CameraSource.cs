using OpenCvSharp;

namespace GradCam.Video.Sources;

/// <summary>A camera (V4L2 on Linux) by index.</summary>
public sealed class CameraSource : IFrameSource
{
    private readonly VideoCapture _capture;

    /// <summary>Opens camera <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentException">The index is negative.</exception>
    /// <exception cref="InvalidOperationException">The camera cannot be opened.</exception>
    public CameraSource(int index)
    {
        // OpenCV treats negative indices as "any camera" through backends that crash when there is none.
        if (index < 0) throw new ArgumentException($"camera index {index}: expected 0 or more (0 is the first camera)");
        _capture = new VideoCapture(index);
        if (!_capture.IsOpened())
        {
            _capture.Dispose();
            throw new InvalidOperationException($"camera {index} could not be opened (is /dev/video{index} present and free?)");
        }
        Description = $"camera {index}";
        Fps = _capture.Fps is > 0 and < 1000 ? _capture.Fps : 30;
        Size = new Size(_capture.FrameWidth, _capture.FrameHeight);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public double Fps { get; }

    /// <inheritdoc />
    public Size Size { get; }

    /// <inheritdoc />
    public long? FrameCount => null;

    /// <inheritdoc />
    public bool IsLive => true;

    /// <inheritdoc />
    public FrameReadResult Read(Mat frame) =>
        _capture.Read(frame) && !frame.Empty() ? FrameReadResult.Frame : FrameReadResult.End;

    /// <inheritdoc />
    public void Dispose() => _capture.Dispose();
}
