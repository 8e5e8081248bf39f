using GradCam.Engine;

namespace GradCam.Imaging;

/// <summary>
/// Turns a stream of raw CAMs (one per video frame) into heat in [0, 1] at the layer's resolution: optional temporal
/// smoothing (exponential moving average of the raw CAMs) then a normalisation that need not flicker.
/// Not thread-safe: one instance per stream.
/// </summary>
public sealed class HeatmapSmoother
{
    private float[]? _average;
    private float _runningMax;

    /// <summary>The normalisation.</summary>
    public HeatmapNormalization Normalization { get; set; } = HeatmapNormalization.Frame;

    /// <summary>EMA weight of the past, in [0, 1): 0 disables smoothing, 0.6 is a calm video.</summary>
    public float Smoothing { get; set; }

    /// <summary>The raw CAM value shown as full heat with <see cref="HeatmapNormalization.Fixed"/>.</summary>
    public float FixedScale { get; set; } = 1f;

    /// <summary>Per-frame decay of the running maximum with <see cref="HeatmapNormalization.Running"/>.</summary>
    public float RunningDecay { get; set; } = 0.98f;

    /// <summary>Forgets the past (e.g. after a seek).</summary>
    public void Reset()
    {
        _average = null;
        _runningMax = 0;
    }

    /// <summary>Smooths and normalises the next raw CAM.</summary>
    /// <param name="cam">The frame's raw CAM (after ReLU).</param>
    /// <returns>Heat in [0, 1] at the CAM's resolution.</returns>
    public CamMap Next(CamMap cam)
    {
        var raw = cam.Data;
        if (_average is null || _average.Length != raw.Length || Smoothing <= 0)
            _average = (float[])raw.Clone();
        else
            for (int i = 0; i < raw.Length; i++) _average[i] = Smoothing * _average[i] + (1 - Smoothing) * raw[i];

        if (Normalization == HeatmapNormalization.Frame)
            return new CamMap(cam.Height, cam.Width, _average).MinMaxNormalized();
        if (Normalization == HeatmapNormalization.Running)
            _runningMax = Math.Max(_average.Max(), _runningMax * RunningDecay);
        var heat = new float[raw.Length];
        Scale(_average, heat, Normalization == HeatmapNormalization.Fixed ? FixedScale : _runningMax);
        return new CamMap(cam.Height, cam.Width, heat);
    }

    private static void Scale(float[] source, float[] target, float scale)
    {
        if (scale <= 0) return;
        for (int i = 0; i < source.Length; i++) target[i] = Math.Clamp(source[i] / scale, 0f, 1f);
    }
}
