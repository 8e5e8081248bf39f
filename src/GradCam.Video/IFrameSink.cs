namespace GradCam.Video;

/// <summary>Where composed frames go. Called on the pipeline's sink thread only, in frame order.</summary>
public interface IFrameSink : IDisposable
{
    /// <summary>Consumes a composed frame (its Mats are reused after the call returns).</summary>
    void Write(Frame frame);

    /// <summary>Called when no frame is waiting, at least every few tens of milliseconds (a window pumps its events here).</summary>
    void Idle() { }

    /// <summary>No more frames: finalise (close the video, flush the timeline). Also called after a failure or a stop.</summary>
    void Complete();
}
