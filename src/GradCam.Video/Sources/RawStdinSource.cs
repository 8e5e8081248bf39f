using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using OpenCvSharp;
using GradCam.Configuration;

namespace GradCam.Video.Sources;

/// <summary>
/// Raw BGR24 frames of a known size read from a stream (standard input), so that anything ffmpeg can open (RTSP,
/// HTTP, screen capture) can be piped in: <c>ffmpeg -i rtsp://... -f rawvideo -pix_fmt bgr24 - | gradcam live --stdin-raw 640x360@15</c>.
/// </summary>
public sealed partial class RawStdinSource : IFrameSource
{
    /// <summary>The largest frame side accepted: 16384 pixels (a 16K frame is 768 MB of BGR).</summary>
    public const int MaxSide = 16384;

    private readonly Stream _stream;
    private readonly byte[] _buffer;

    /// <summary>Reads frames of the given geometry from a stream.</summary>
    public RawStdinSource(Stream stream, Size size, double fps, bool isLive = true)
    {
        CheckSize(size.Width, size.Height, $"{size.Width}x{size.Height}");
        _stream = stream;
        Size = size;
        Fps = fps;
        IsLive = isLive;
        _buffer = new byte[checked(size.Width * size.Height * 3)];
    }

    /// <summary>Whether the stream ended within a frame: its last bytes did not make a whole frame and were dropped.</summary>
    public bool EndedMidFrame { get; private set; }

    /// <summary>Whether the stream ended before its first frame.</summary>
    public bool WasEmpty { get; private set; } = true;

    private static void CheckSize(long width, long height, string text)
    {
        if (width < 1 || height < 1 || width > MaxSide || height > MaxSide)
            throw new SettingException("RawStdinSource.Size", $"'{text}': the frame size must be 1 to {MaxSide} pixels a side");
    }

    /// <summary>Parses <c>WxH</c> or <c>WxH@fps</c>.</summary>
    /// <exception cref="ArgumentException">The text is not of that form.</exception>
    public static (Size Size, double Fps) ParseGeometry(string text)
    {
        var m = GeometryPattern().Match(text);
        if (!m.Success) throw new SettingException("RawStdinSource.Size", $"'{text}': expected WIDTHxHEIGHT or WIDTHxHEIGHT@FPS, e.g. 640x360@15");
        // Digits only, but possibly more than an int holds: compare as long, refusing absurd lengths first.
        long width = m.Groups[1].Value.Length > 9 ? long.MaxValue : long.Parse(m.Groups[1].Value);
        long height = m.Groups[2].Value.Length > 9 ? long.MaxValue : long.Parse(m.Groups[2].Value);
        CheckSize(width, height, text);
        double fps = m.Groups[3].Success ? double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 25;
        if (!(fps > 0 && fps <= 1000)) throw new SettingException("RawStdinSource.Size", $"'{text}': the frame rate must be above 0 and at most 1000");
        return (new Size((int)width, (int)height), fps);
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
        if (read < _buffer.Length)
        {
            EndedMidFrame = read > 0; // a partial last frame is not a frame
            return FrameReadResult.End;
        }
        WasEmpty = false;
        frame.Create(Size.Height, Size.Width, MatType.CV_8UC3);
        Marshal.Copy(_buffer, 0, frame.Data, _buffer.Length);
        return FrameReadResult.Frame;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
