using GradCam.Dashcam.World;

namespace GradCam.Dashcam.Detection;

/// <summary>What the dashcam detector finds: the objects that can make a car stop, and the ones that look alike.</summary>
public static class DetectorClasses
{
    /// <summary>Class names, by index. Billboards and tumbleweeds are background: a red billboard is not a reason to stop.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["stop sign", "pedestrian", "red light", "other light", "car"];

    /// <summary>The class of a ground-truth object, or null for background.</summary>
    public static int? Of(BoxTruth truth) => truth.Kind switch
    {
        ObjectKind.StopSign => 0,
        ObjectKind.Pedestrian => 1,
        ObjectKind.TrafficLight => truth.Name.StartsWith("red", StringComparison.Ordinal) ? 2 : 3,
        ObjectKind.CarAhead or ObjectKind.OncomingCar => 4,
        _ => null,
    };
}
