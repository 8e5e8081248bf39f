namespace GradCam.Video;

/// <summary>What reading a frame gave.</summary>
public enum FrameReadResult
{
    /// <summary>A frame was decoded into the buffer.</summary>
    Frame,

    /// <summary>This frame could not be decoded; later ones may be fine.</summary>
    Corrupt,

    /// <summary>No more frames.</summary>
    End,
}
