using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>
/// An object in road coordinates: <see cref="X"/> metres to the right of the lane centre (negative: left),
/// <see cref="Z"/> metres ahead of the camera.
/// </summary>
public sealed record SceneObject(ObjectKind Kind, double X, double Z)
{
    /// <summary>Traffic lights: their state.</summary>
    public LightState Light { get; init; } = LightState.Green;

    /// <summary>Cars ahead: brake lights on.</summary>
    public bool Braking { get; init; }

    /// <summary>Billboards: their BGR colour.</summary>
    public Scalar Color { get; init; } = new(200, 200, 200);

    /// <summary>Billboards: whether the colour is a red (for the shortcut bias and the report).</summary>
    public bool IsRed { get; init; }

    /// <summary>Tumbleweeds: rotation, radians.</summary>
    public double Spin { get; init; }

    /// <summary>A short human name, e.g. "red traffic light", "red billboard".</summary>
    public string Name => Kind switch
    {
        ObjectKind.TrafficLight => $"{Light.ToString().ToLowerInvariant()} traffic light",
        ObjectKind.StopSign => "stop sign",
        ObjectKind.Pedestrian => "pedestrian",
        ObjectKind.CarAhead => Braking ? "braking car ahead" : "car ahead",
        ObjectKind.OncomingCar => "oncoming car",
        ObjectKind.Billboard => IsRed ? "red billboard" : "billboard",
        _ => "tumbleweed",
    };
}
