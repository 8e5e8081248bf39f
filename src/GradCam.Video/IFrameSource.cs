using OpenCvSharp;

namespace GradCam.Video;

/// <summary>A source of BGR frames: a camera, a video file, an image folder or raw frames on standard input.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>A human description (file name, camera index...).</summary>
    string Description { get; }

    /// <summary>Frames per second (the file's rate, or the nominal rate of a camera or folder).</summary>
    double Fps { get; }

    /// <summary>Frame size.</summary>
    Size Size { get; }

    /// <summary>Number of frames when known (files, folders); null for cameras and pipes.</summary>
    long? FrameCount { get; }

    /// <summary>Whether frames arrive in real time whether or not they are consumed (cameras, pipes).</summary>
    bool IsLive { get; }

    /// <summary>Reads the next frame into <paramref name="frame"/> (reallocated when its size differs).</summary>
    FrameReadResult Read(Mat frame);
}
