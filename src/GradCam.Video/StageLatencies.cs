namespace GradCam.Video;

/// <summary>Milliseconds a frame spent in each stage (and waiting between them).</summary>
public sealed class StageLatencies
{
    /// <summary>Decoding or capturing.</summary>
    public double Decode { get; internal set; }

    /// <summary>Resizing and normalising into model input.</summary>
    public double Preprocess { get; internal set; }

    /// <summary>Waiting in channels before inference.</summary>
    public double Queue { get; internal set; }

    /// <summary>The batch's forward and gradient pass.</summary>
    public double Inference { get; internal set; }

    /// <summary>Drawing overlay and HUD.</summary>
    public double Compose { get; internal set; }

    /// <summary>From capture to composed frame.</summary>
    public double Total { get; internal set; }
}
