using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>
/// The recorded drive of the story (about 30 s at 15 fps): a green light, a tumbleweed rolling across, an oncoming car,
/// a red billboard (no reason to stop), then a real stop sign. The car drives at 12 m/s until it stops at the sign.
/// </summary>
public static class Drive
{
    /// <summary>Frames per second of the clip.</summary>
    public const double Fps = 15;

    /// <summary>Duration, seconds.</summary>
    public const double Seconds = 30;

    private const double Speed = 12; // m/s

    /// <summary>The scene at time <paramref name="t"/> seconds (seeded lighting and noise).</summary>
    public static Scene At(double t, int seed)
    {
        var rng = new Random(seed * 7919 + (int)Math.Round(t * Fps));
        // The car stops 6 m before the stop sign, which stands at 340 m.
        const double signAt = 340, stopAt = signAt - 6;
        double brakeStart = stopAt - 30, travelled = Math.Min(Speed * t, stopAt);
        if (Speed * t > brakeStart)
        {
            // Constant deceleration over the last 30 m.
            double tb = brakeStart / Speed, a = Speed * Speed / (2 * 30), dt = t - tb;
            travelled = Math.Min(brakeStart + Speed * dt - a * dt * dt / 2, stopAt);
            if (dt > Speed / a) travelled = stopAt;
        }
        double Ahead(double at) => at - travelled;
        var objects = new List<SceneObject>
        {
            new(ObjectKind.TrafficLight, 3.0, Ahead(70)) { Light = LightState.Green },
            new(ObjectKind.Tumbleweed, -5.5 + 1.2 * Math.Max(0, t - 6), Ahead(100)) { Spin = t * 3 },
            new(ObjectKind.OncomingCar, -3.5, Ahead(170) - 14 * Math.Max(0, t - 8)) { Color = new Scalar(160, 90, 40) },
            new(ObjectKind.Billboard, 7.5, Ahead(250)) { Color = new Scalar(40, 30, 210), IsRed = true },
            new(ObjectKind.Billboard, -9.5, Ahead(120)) { Color = new Scalar(40, 200, 230) },
            new(ObjectKind.StopSign, 2.7, Ahead(signAt)),
        };
        return new Scene(objects.Where(o => o.Z > 2 && o.Z < 200).ToList())
        {
            Travelled = travelled,
            Brightness = 0.95 + 0.05 * Math.Sin(t / 3),
            Noise = 3,
            NoiseSeed = rng.Next(),
            HillPhase = travelled / 4000,
        };
    }
}
