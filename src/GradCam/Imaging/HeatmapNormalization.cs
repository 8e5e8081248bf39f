namespace GradCam.Imaging;

/// <summary>How raw CAMs become heat in [0, 1] across the frames of a video.</summary>
public enum HeatmapNormalization
{
    /// <summary>Min-max of each frame (as for still images). Flickers in video: every frame has a 1.0 somewhere.</summary>
    Frame,

    /// <summary>Divided by a decaying running maximum of past frames: weak evidence looks weak, strong looks strong.</summary>
    Running,

    /// <summary>Divided by a fixed scale (<see cref="HeatmapSmoother.FixedScale"/>) and clipped: comparable across videos.</summary>
    Fixed,
}
