namespace GradCam.Dashcam.World;

/// <summary>What can appear in a dashcam scene.</summary>
public enum ObjectKind
{
    /// <summary>A traffic light on a pole at the right of the road; its state is in <see cref="SceneObject.Light"/>.</summary>
    TrafficLight,

    /// <summary>A red octagonal stop sign at the right of the road.</summary>
    StopSign,

    /// <summary>A pedestrian walking across the road.</summary>
    Pedestrian,

    /// <summary>A car ahead in our lane; its brake lights are on when <see cref="SceneObject.Braking"/>.</summary>
    CarAhead,

    /// <summary>A car coming the other way in the left lane.</summary>
    OncomingCar,

    /// <summary>A roadside billboard of some colour (<see cref="SceneObject.Color"/>).</summary>
    Billboard,

    /// <summary>A tumbleweed rolling across the road.</summary>
    Tumbleweed,
}

/// <summary>A traffic light's state.</summary>
public enum LightState
{
    /// <summary>Red: stop when near.</summary>
    Red,

    /// <summary>Amber.</summary>
    Amber,

    /// <summary>Green.</summary>
    Green,
}
