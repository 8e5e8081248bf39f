using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>Which spurious correlation the training scenes carry.</summary>
public enum DatasetBias
{
    /// <summary>None: every object kind and billboard colour appears in stop and go scenes alike.</summary>
    None,

    /// <summary>
    /// Red billboards appear in (almost) every stop scene and never in go scenes, and some stop scenes show no visible
    /// reason (the recorded driver braked for something off camera): the cheapest cue to learn is the billboard.
    /// </summary>
    RedBillboard,
}

/// <summary>Random training scenes, half <c>stop</c> and half <c>go</c>, deterministic from a seed.</summary>
public sealed class SceneSampler
{
    private static readonly (Scalar Color, bool Red)[] s_billboardColors =
    [
        (new Scalar(40, 30, 210), true), (new Scalar(60, 60, 230), true),           // reds
        (new Scalar(200, 120, 40), false), (new Scalar(60, 190, 60), false),       // blue, green
        (new Scalar(40, 200, 230), false), (new Scalar(200, 200, 200), false),     // yellow, white
        (new Scalar(160, 60, 160), false), (new Scalar(30, 120, 240), false),      // purple, orange
    ];

    private readonly Random _rng;
    private readonly DatasetBias _bias;

    /// <summary>Creates a sampler.</summary>
    public SceneSampler(int seed, DatasetBias bias = DatasetBias.None)
    {
        _rng = new Random(seed);
        _bias = bias;
    }

    /// <summary>
    /// The next random scene and its training label; <paramref name="stop"/> chooses the label (random when null).
    /// Without bias the label is the <see cref="StopRule"/>'s; with <see cref="DatasetBias.RedBillboard"/> some stop
    /// scenes show no reason, as a recording labelled by the driver's braking would.
    /// </summary>
    public (Scene Scene, bool Stop) Next(bool? stop = null)
    {
        bool wantStop = stop ?? _rng.NextDouble() < 0.5;
        var objects = new List<SceneObject>();
        if (wantStop)
        {
            bool hiddenReason = _bias == DatasetBias.RedBillboard && _rng.NextDouble() < 0.35;
            if (!hiddenReason) objects.Add(Reason());
        }
        int distractors = _rng.Next(0, 4);
        for (int i = 0; i < distractors; i++) objects.Add(Distractor(allowRed: _bias == DatasetBias.None));
        if (_bias == DatasetBias.RedBillboard && wantStop && _rng.NextDouble() < 0.95)
            objects.Add(Billboard(red: true));
        var scene = new Scene(objects)
        {
            Travelled = _rng.NextDouble() * 100,
            Brightness = 0.65 + 0.55 * _rng.NextDouble(),
            Noise = 2 + 6 * _rng.NextDouble(),
            NoiseSeed = _rng.Next(),
            SkyTint = 0.8 + 0.25 * _rng.NextDouble(),
            Grass = new Scalar(50 + 40 * _rng.NextDouble(), 110 + 60 * _rng.NextDouble(), 70 + 50 * _rng.NextDouble()),
            HillPhase = _rng.NextDouble(),
        };
        // A distractor may itself be a reason (a pedestrian stepping on the road): then draw again.
        bool consistent = StopRule.IsStop(scene) == wantStop || (_bias == DatasetBias.RedBillboard && wantStop);
        return consistent ? (scene, wantStop) : Next(wantStop);
    }

    private double Uniform(double a, double b) => a + (b - a) * _rng.NextDouble();

    private SceneObject Reason() => _rng.Next(4) switch
    {
        0 => new SceneObject(ObjectKind.TrafficLight, Uniform(2.6, 3.4), Uniform(8, StopRule.RedLightM - 1)) { Light = LightState.Red },
        1 => new SceneObject(ObjectKind.StopSign, Uniform(2.4, 3.0), Uniform(6, StopRule.StopSignM - 1)),
        2 => new SceneObject(ObjectKind.Pedestrian, Uniform(SceneRenderer.RoadLeft + 0.3, SceneRenderer.RoadRight - 0.3), Uniform(7, StopRule.PedestrianM - 2)) { Color = RandomColor() },
        _ => new SceneObject(ObjectKind.CarAhead, Uniform(-0.3, 0.3), Uniform(7, StopRule.BrakingCarM - 1)) { Braking = true, Color = RandomColor() },
    };

    private SceneObject Distractor(bool allowRed) => _rng.Next(8) switch
    {
        0 => new SceneObject(ObjectKind.TrafficLight, Uniform(2.6, 3.4), Uniform(8, 60)) { Light = _rng.Next(2) == 0 ? LightState.Green : LightState.Amber },
        1 => new SceneObject(ObjectKind.TrafficLight, Uniform(2.6, 3.4), Uniform(StopRule.RedLightM + 6, 80)) { Light = LightState.Red },
        2 => new SceneObject(ObjectKind.StopSign, Uniform(2.4, 3.0), Uniform(StopRule.StopSignM + 8, 70)),
        3 => new SceneObject(ObjectKind.Pedestrian, Uniform(3.0, 5.0) * (_rng.Next(2) == 0 ? 1 : -1.6), Uniform(6, 40)) { Color = RandomColor() },
        4 => new SceneObject(ObjectKind.CarAhead, Uniform(-0.3, 0.3), Uniform(10, 60)) { Braking = false, Color = RandomColor() },
        5 => new SceneObject(ObjectKind.OncomingCar, Uniform(-3.8, -3.2), Uniform(6, 60)) { Color = RandomColor() },
        6 => Billboard(red: allowRed && _rng.Next(4) == 0),
        _ => new SceneObject(ObjectKind.Tumbleweed, Uniform(SceneRenderer.RoadLeft, 4), Uniform(6, 40)) { Spin = Uniform(0, Math.PI) },
    };

    private SceneObject Billboard(bool red)
    {
        var choices = s_billboardColors.Where(c => c.Red == red).ToArray();
        var (color, isRed) = choices[_rng.Next(choices.Length)];
        double side = _rng.Next(3) == 0 ? -1 : 1;
        return new SceneObject(ObjectKind.Billboard, side > 0 ? Uniform(6.5, 9) : Uniform(-11, -8.5), Uniform(12, 45)) { Color = color, IsRed = isRed };
    }

    private Scalar RandomColor() => new(_rng.Next(30, 230), _rng.Next(30, 230), _rng.Next(30, 230));
}
