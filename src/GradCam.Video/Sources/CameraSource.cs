using OpenCvSharp;

namespace GradCam.Video.Sources;

/// <summary>A camera (V4L2 on Linux) by index.</summary>
public sealed class CameraSource : IFrameSource
{
    private readonly VideoCapture _capture;

    /// <summary>Opens camera <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException">The camera cannot be opened.</exception>
    public CameraSource(int index)
    {
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
