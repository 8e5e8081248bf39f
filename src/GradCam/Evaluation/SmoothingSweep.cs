using GradCam.Engine;
using GradCam.Imaging;
using OpenCvSharp;

namespace GradCam.Evaluation;

/// <summary>
/// The temporal stability of one stream of raw CAMs under several smoothing settings at once: each setting has its own
/// <see cref="HeatmapSmoother"/> (the video overlay's) and <see cref="TemporalStabilityMeter"/>, so one pass over a
/// video answers "which EMA?" by a number.
/// </summary>
public sealed class SmoothingSweep
{
    private readonly (float Ema, HeatmapSmoother Smoother, TemporalStabilityMeter Meter)[] _settings;

    /// <summary>The settings compared when none are given: none, a light and a strong EMA.</summary>
    public static IReadOnlyList<float> DefaultEmas { get; } = [0f, 0.5f, 0.8f];

    /// <summary>Creates a sweep.</summary>
    /// <param name="emas">The EMA weights of the past to compare, each in [0, 1) (0: no smoothing).</param>
    /// <param name="normalization">The heat scale, as the overlay's.</param>
    /// <param name="fixedScale">The raw value of full heat with <see cref="HeatmapNormalization.Fixed"/>.</param>
    /// <exception cref="ArgumentException">A weight is outside [0, 1), or none is given.</exception>
    public SmoothingSweep(IReadOnlyList<float> emas, HeatmapNormalization normalization, float fixedScale = 1f)
    {
        if (emas.Count == 0) throw new ArgumentException("no smoothing setting to measure", nameof(emas));
        foreach (float e in emas)
            if (!(e >= 0 && e < 1)) throw new ArgumentException($"an EMA weight must be in [0, 1), not {e}", nameof(emas));
        Emas = emas.Distinct().ToArray();
        _settings = Emas.Select(e => (e, new HeatmapSmoother { Smoothing = e, Normalization = normalization, FixedScale = fixedScale }, new TemporalStabilityMeter())).ToArray();
    }

    /// <summary>The EMA weights measured, in the order given (repeats once).</summary>
    public IReadOnlyList<float> Emas { get; }

    /// <summary>Adds the next explained frame.</summary>
    /// <param name="cam">Its raw CAM (<see cref="Explanation.Cam"/>).</param>
    /// <param name="frame">The frame.</param>
    /// <returns>Per setting, in order, its change from the previous frame (null for the first).</returns>
    public IReadOnlyList<FrameChange?> Add(CamMap cam, Mat frame) => Add(cam, SceneGrid.From(frame, cam.Height, cam.Width));

    /// <summary>Adds the next explained frame, whose scene is already on the CAM's grid.</summary>
    /// <param name="cam">Its raw CAM (<see cref="Explanation.Cam"/>).</param>
    /// <param name="scene">The frame's luminance on the CAM's grid (<see cref="SceneGrid.From"/>).</param>
    /// <returns>Per setting, in order, its change from the previous frame (null for the first).</returns>
    public IReadOnlyList<FrameChange?> Add(CamMap cam, CamMap scene) => _settings.Select(s => s.Meter.Add(s.Smoother.Next(cam), scene)).ToArray();

    /// <summary>Per setting, in order, the stability over every frame added.</summary>
    public IReadOnlyList<SmoothedStability> Results => _settings.Select(s => new SmoothedStability(s.Ema, s.Meter.Total)).ToArray();
}
