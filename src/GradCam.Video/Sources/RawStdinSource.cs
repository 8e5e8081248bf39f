using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using OpenCvSharp;

namespace GradCam.Video.Sources;

/// <summary>
/// Raw BGR24 frames of a known size read from a stream (standard input), so that anything ffmpeg can open (RTSP,
/// HTTP, screen capture) can be piped in: <c>ffmpeg -i rtsp://... -f rawvideo -pix_fmt bgr24 - | gradcam live --stdin-raw 640x360@15</c>.
/// </summary>
public sealed partial class RawStdinSource : IFrameSource
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;

    /// <summary>Reads frames of the given geometry from a stream.</summary>
    public RawStdinSource(Stream stream, Size size, double fps, bool isLive = true)
    {
        _stream = stream;
        Size = size;
        Fps = fps;
        IsLive = isLive;
        _buffer = new byte[size.Width * size.Height * 3];
    }

    /// <summary>Parses <c>WxH</c> or <c>WxH@fps</c>.</summary>
    /// <exception cref="ArgumentException">The text is not of that form.</exception>
    public static (Size Size, double Fps) ParseGeometry(string text)
    {
        var m = GeometryPattern().Match(text);
        if (!m.Success || int.Parse(m.Groups[1].Value) <= 0 || int.Parse(m.Groups[2].Value) <= 0)
            throw new ArgumentException($"--stdin-raw '{text}': expected WIDTHxHEIGHT or WIDTHxHEIGHT@FPS, e.g. 640x360@15");
        double fps = m.Groups[3].Success ? double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 25;
        if (fps <= 0) throw new ArgumentException($"--stdin-raw '{text}': the frame rate must be positive");
        return (new Size(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)), fps);
    }

    [GeneratedRegex(@"^(\d+)x(\d+)(?:@(\d+(?:\.\d+)?))?$")]
    private static partial Regex GeometryPattern();

    /// <inheritdoc />
    public string Description => $"raw BGR24 {Size.Width}x{Size.Height} on stdin";

    /// <inheritdoc />
    public double Fps { get; }

    /// <inheritdoc />
    public Size Size { get; }

    /// <inheritdoc />
    public long? FrameCount => null;

    /// <inheritdoc />
    public bool IsLive { get; }

    /// <inheritdoc />
    public FrameReadResult Read(Mat frame)
    {
        int read = _stream.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false);
        if (read < _buffer.Length) return FrameReadResult.End; // a partial last frame is not a frame
        frame.Create(Size.Height, Size.Width, MatType.CV_8UC3);
        Marshal.Copy(_buffer, 0, frame.Data, _buffer.Length);
        return FrameReadResult.Frame;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
