using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>
/// One drive of a fleet, different for every seed: the order, number and kinds of objects along the road, their sides
/// and distances, the speed, the lighting and the noise. Some drives pass red billboards, some none; pedestrians cross,
/// cars ahead brake, traffic lights are red or green, stop signs stand, tumbleweeds roll, oncoming cars pass. The ground
/// truth of every frame follows <see cref="StopRule"/>, as in the training scenes.
/// </summary>
public sealed class FleetDrive
{
    /// <summary>An object placed along the road: where it stands (metres from the start) and how it moves.</summary>
    private sealed record Placed(SceneObject Object, double RoadZ, double LateralSpeed = 0, double OwnSpeed = 0, double BrakeFrom = double.NaN, double BrakeTo = double.NaN);

    private readonly List<Placed> _placed = [];
    private readonly double _speed, _brightness, _noise, _tint;
    private readonly Scalar _grass;

    /// <summary>Plans the drive of <paramref name="seed"/>, <paramref name="seconds"/> long.</summary>
    public FleetDrive(int seed, double seconds = 20)
    {
        Seed = seed;
        Seconds = seconds;
        var rng = new Random(seed);
        _speed = 9 + 5 * rng.NextDouble();
        _brightness = 0.75 + 0.35 * rng.NextDouble();
        _noise = 2 + 6 * rng.NextDouble();
        _tint = 0.85 + 0.3 * rng.NextDouble();
        _grass = new Scalar(50 + rng.Next(50), 110 + rng.Next(60), 70 + rng.Next(50));
        HasRedBillboards = rng.NextDouble() < 0.5;

        double length = _speed * seconds + 120;
        // Objects one after another along the road, 25-60 m apart, kinds drawn at random.
        for (double z = 30 + 20 * rng.NextDouble(); z < length; z += 25 + 35 * rng.NextDouble())
        {
            var kind = (ObjectKind)rng.Next(7);
            Placed placed = kind switch
            {
                ObjectKind.TrafficLight => new(new SceneObject(kind, 3.0, 0) { Light = rng.NextDouble() < 0.5 ? LightState.Red : LightState.Green }, z),
                ObjectKind.StopSign => new(new SceneObject(kind, 2.7, 0), z),
                ObjectKind.Pedestrian => new(new SceneObject(kind, rng.NextDouble() < 0.5 ? -6.5 : 4.5, 0), z, LateralSpeed: 1.0 + 0.6 * rng.NextDouble()),
                ObjectKind.CarAhead => new(new SceneObject(kind, 0, 0) { Color = new Scalar(rng.Next(40, 200), rng.Next(40, 200), rng.Next(40, 200)) },
                                           z, OwnSpeed: _speed, BrakeFrom: rng.NextDouble() * seconds * 0.6, BrakeTo: 0),
                ObjectKind.OncomingCar => new(new SceneObject(kind, -3.5, 0) { Color = new Scalar(rng.Next(40, 200), rng.Next(40, 200), rng.Next(40, 200)) },
                                              z + 60, OwnSpeed: -(8 + 6 * rng.NextDouble())),
                ObjectKind.Billboard => Billboard(rng, z),
                _ => new(new SceneObject(ObjectKind.Tumbleweed, -5.5, 0), z, LateralSpeed: 0.8 + 0.8 * rng.NextDouble()),
            };
            if (placed.Object.Kind == ObjectKind.CarAhead) placed = placed with { BrakeTo = placed.BrakeFrom + 1.5 + 2.5 * rng.NextDouble() };
            _placed.Add(placed);
        }
        // Every drive with red billboards has at least one.
        if (HasRedBillboards && !_placed.Any(p => p.Object.IsRed)) _placed.Add(Billboard(rng, 60 + rng.NextDouble() * (length - 120), red: true));
    }

    private Placed Billboard(Random rng, double z, bool? red = null)
    {
        bool isRed = red ?? (HasRedBillboards && rng.NextDouble() < 0.6);
        var colour = isRed ? new Scalar(30 + rng.Next(30), 20 + rng.Next(30), 190 + rng.Next(50))
                           : new Scalar(rng.Next(60, 230), rng.Next(120, 230), rng.Next(0, 90)); // greens, yellows, blues: never red
        return new(new SceneObject(ObjectKind.Billboard, rng.NextDouble() < 0.5 ? 7.5 : -9.5, 0) { Color = colour, IsRed = isRed }, z);
    }

    /// <summary>The drive's seed.</summary>
    public int Seed { get; }

    /// <summary>Its length in seconds.</summary>
    public double Seconds { get; }

    /// <summary>Frames in the clip at <see cref="Drive.Fps"/>.</summary>
    public int Frames => (int)(Seconds * Drive.Fps);

    /// <summary>Whether the drive passes red billboards.</summary>
    public bool HasRedBillboards { get; }

    /// <summary>The kinds of object along the road, in order.</summary>
    public IReadOnlyList<string> Objects => _placed.OrderBy(p => p.RoadZ).Select(p => p.Object.Name).ToList();

    /// <summary>The scene at time <paramref name="t"/> seconds.</summary>
    public Scene At(double t)
    {
        double travelled = _speed * t;
        var objects = new List<SceneObject>();
        foreach (var p in _placed)
        {
            var o = p.Object;
            double z = p.RoadZ + p.OwnSpeed * t - travelled;
            double x = o.X;
            if (o.Kind == ObjectKind.Pedestrian || o.Kind == ObjectKind.Tumbleweed)
            {
                // Crossing once it is within 60 m: from its side towards the other.
                double crossing = Math.Max(0, t - (p.RoadZ - 60) / _speed);
                x = o.X + Math.Sign(-o.X) * Math.Min(p.LateralSpeed * crossing, Math.Abs(o.X) * 2);
            }
            if (o.Kind == ObjectKind.CarAhead)
            {
                // The car ahead keeps its distance, then brakes for a while and pulls away again.
                bool braking = t >= p.BrakeFrom && t < p.BrakeTo;
                double gap = t < p.BrakeFrom ? p.RoadZ : t < p.BrakeTo ? Math.Max(8, p.RoadZ - 6 * (t - p.BrakeFrom)) : Math.Min(p.RoadZ, Math.Max(8, p.RoadZ - 6 * (p.BrakeTo - p.BrakeFrom)) + 4 * (t - p.BrakeTo));
                z = Math.Min(gap, 45);
                o = o with { Braking = braking };
            }
            if (o.Kind == ObjectKind.Tumbleweed) o = o with { Spin = t * 3 };
            if (z > 2 && z < 200) objects.Add(o with { X = x, Z = z });
        }
        return new Scene(objects)
        {
            Travelled = travelled,
            Brightness = _brightness + 0.05 * Math.Sin(t / 3),
            Noise = _noise,
            NoiseSeed = Seed * 7919 + (int)Math.Round(t * Drive.Fps),
            SkyTint = _tint,
            Grass = _grass,
            HillPhase = travelled / 4000 + Seed,
        };
    }
}
