using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>Everything a frame shows: the objects, how far the car has travelled, and the lighting.</summary>
public sealed record Scene(IReadOnlyList<SceneObject> Objects)
{
    /// <summary>Metres travelled (moves lane markings and posts).</summary>
    public double Travelled { get; init; }

    /// <summary>Global brightness factor.</summary>
    public double Brightness { get; init; } = 1;

    /// <summary>Sensor noise standard deviation, grey levels.</summary>
    public double Noise { get; init; } = 4;

    /// <summary>Seed of the sensor noise.</summary>
    public int NoiseSeed { get; init; } = 1;

    /// <summary>Sky colour factor (time of day).</summary>
    public double SkyTint { get; init; } = 1;

    /// <summary>Grass colour.</summary>
    public Scalar Grass { get; init; } = new(70, 140, 90);

    /// <summary>Where the hills sit on the horizon (0..1).</summary>
    public double HillPhase { get; init; }
}
