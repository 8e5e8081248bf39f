namespace GradCam.Evaluation;

/// <summary>The temporal stability of a stream of explanations under one smoothing setting.</summary>
/// <param name="Ema">The EMA weight of the past (0: none).</param>
/// <param name="Stability">What was measured.</param>
public sealed record SmoothedStability(float Ema, TemporalStability Stability);
