namespace GradCam.Dashcam.World;

/// <summary>
/// The labelling rule: a frame is <c>stop</c> when a red light or a stop sign is near, a pedestrian is on the road,
/// or a car ahead is close and braking; otherwise <c>go</c>.
/// </summary>
public static class StopRule
{
    /// <summary>A red light closer than this (metres) is a reason to stop.</summary>
    public const double RedLightM = 30;

    /// <summary>A stop sign closer than this is a reason to stop.</summary>
    public const double StopSignM = 22;

    /// <summary>A pedestrian on the road closer than this is a reason to stop.</summary>
    public const double PedestrianM = 30;

    /// <summary>A braking car ahead closer than this is a reason to stop.</summary>
    public const double BrakingCarM = 18;

    /// <summary>Whether this object alone makes the frame a stop.</summary>
    public static bool IsReason(SceneObject o) => o.Kind switch
    {
        ObjectKind.TrafficLight => o.Light == LightState.Red && o.Z < RedLightM,
        ObjectKind.StopSign => o.Z < StopSignM,
        ObjectKind.Pedestrian => o.X > SceneRenderer.RoadLeft && o.X < SceneRenderer.RoadRight && o.Z < PedestrianM,
        ObjectKind.CarAhead => o.Braking && o.Z < BrakingCarM,
        _ => false,
    };

    /// <summary>The frame's label.</summary>
    public static bool IsStop(Scene scene) => scene.Objects.Any(o => o.Z > 2 && IsReason(o));
}
