using OpenCvSharp;

namespace GradCam.Testing;

/// <summary>Small videos written with OpenCV: a red square moving left to right over a grey-blue background.</summary>
public static class TestVideos
{
    public const int Width = 160, Height = 120, Square = 24;

    /// <summary>The square's left edge in frame <paramref name="i"/> of <paramref name="frames"/>.</summary>
    public static int SquareX(int i, int frames) => 4 + (Width - Square - 8) * i / Math.Max(1, frames - 1);

    public static int SquareY => Height / 2 - Square / 2;

    public static Mat Draw(int i, int frames)
    {
        var frame = new Mat(Height, Width, MatType.CV_8UC3, new Scalar(150, 120, 100));
        Cv2.Circle(frame, new Point(30, 25), 12, new Scalar(40, 200, 40), -1); // a green distractor that never moves
        Cv2.Rectangle(frame, new Rect(SquareX(i, frames), SquareY, Square, Square), new Scalar(20, 20, 230), -1);
        return frame;
    }

    /// <summary>Writes the clip; <c>.avi</c> as MJPG, <c>.mp4</c> as mp4v.</summary>
    public static string Write(string path, int frames, double fps = 15)
    {
        FourCC fourcc = path.EndsWith(".avi") ? FourCC.MJPG : FourCC.FromString("mp4v");
        using var writer = new VideoWriter(path, fourcc, fps, new Size(Width, Height));
        if (!writer.IsOpened()) throw new InvalidOperationException($"cannot write {path}");
        for (int i = 0; i < frames; i++)
        {
            using var frame = Draw(i, frames);
            writer.Write(frame);
        }
        return path;
    }

    /// <summary>Writes the clip as numbered PNGs.</summary>
    public static string WriteFolder(string dir, int frames)
    {
        Directory.CreateDirectory(dir);
        for (int i = 0; i < frames; i++)
        {
            using var frame = Draw(i, frames);
            frame.SaveImage(Path.Combine(dir, $"frame{i:D4}.png"));
        }
        return dir;
    }

    /// <summary>Counts the frames of a video by decoding them all, and reads its size and rate.</summary>
    public static (int Frames, Size Size, double Fps) Inspect(string path)
    {
        using var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened()) throw new InvalidOperationException($"{path} is not a playable video");
        int frames = 0;
        using var frame = new Mat();
        while (capture.Read(frame) && !frame.Empty()) frames++;
        return (frames, new Size(capture.FrameWidth, capture.FrameHeight), capture.Fps);
    }
}
