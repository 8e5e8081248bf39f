namespace GradCam.Detectors;

/// <summary>How a detector's raw output is decoded into <see cref="Detection"/>s.</summary>
public sealed record DetectionOptions
{
    /// <summary>Default <see cref="ScoreThreshold"/>, as the YOLO tools' own.</summary>
    public const float DefaultScoreThreshold = 0.25f;

    /// <summary>Default <see cref="IouThreshold"/>, as the YOLO tools' own.</summary>
    public const float DefaultIouThreshold = 0.45f;

    /// <summary>The output's layout.</summary>
    public DetectorLayout Layout { get; init; } = DetectorLayout.Yolov8;

    /// <summary>Boxes whose score is below this are dropped before non-maximum suppression. Default 0.25.</summary>
    public float ScoreThreshold { get; init; } = DefaultScoreThreshold;

    /// <summary>Of two boxes of one class that overlap more than this (IoU), the lower-scored is dropped. Default 0.45.</summary>
    public float IouThreshold { get; init; } = DefaultIouThreshold;

    /// <summary>At most this many detections per image, best first. Default 100.</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>The output holding the raw detections; the model's first output when null.</summary>
    public string? OutputName { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="GradCam.Configuration.SettingException">An option is out of range; the exception names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Layout)) throw new Configuration.SettingException("DetectionOptions.Layout", $"unknown detector layout {(int)Layout}");
        if (!(ScoreThreshold is >= 0 and <= 1))
            throw new Configuration.SettingException("DetectionOptions.ScoreThreshold", $"the score threshold must be in [0, 1], got {ScoreThreshold}");
        if (!(IouThreshold is > 0 and <= 1))
            throw new Configuration.SettingException("DetectionOptions.IouThreshold", $"the IoU threshold must be in (0, 1], got {IouThreshold}");
        if (MaxDetections < 1)
            throw new Configuration.SettingException("DetectionOptions.MaxDetections", $"the detection limit must be 1 or more, got {MaxDetections}");
    }
}
