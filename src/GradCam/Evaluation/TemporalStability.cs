namespace GradCam.Evaluation;

/// <summary>
/// How much an explanation changes from one frame to the next, beside how much the frames themselves change: the means,
/// over consecutive pairs of explained frames, of each <see cref="FrameChange"/>. A map that changes much more than the
/// scene flickers; one that changes as little as a static scene is stable.
/// </summary>
/// <param name="Pairs">Consecutive pairs measured.</param>
/// <param name="MapChange">Mean <c>1 − r(hₜ, hₜ₋₁)</c> of the heat maps shown: 0 still, 1 unrelated, up to 2.</param>
/// <param name="HeatChange">Mean <c>mean|hₜ − hₜ₋₁|</c> of the heat in [0, 1].</param>
/// <param name="SceneChange">Mean <c>1 − r(sₜ, sₜ₋₁)</c> of the frames' luminance on the map's grid.</param>
public sealed record TemporalStability(int Pairs, double MapChange, double HeatChange, double SceneChange)
{
    /// <summary>Below this scene change a scene counts as still, and <see cref="Ratio"/> is not given.</summary>
    public const double StillScene = 1e-4;

    /// <summary>The formula, for reports: what each number is.</summary>
    public const string Formula = "map change = mean over consecutive explained frames of 1 − r(h_t, h_t−1), r the Pearson correlation of the heat maps' cells; " +
                                  "scene change = the same on the frames' luminance averaged on the map's grid; ratio = map change / scene change";

    /// <summary>No pair measured.</summary>
    public static TemporalStability None { get; } = new(0, 0, 0, 0);

    /// <summary>How many times more the map changes than the scene; null for a still scene or no pair.</summary>
    public double? Ratio => Pairs > 0 && SceneChange >= StillScene ? MapChange / SceneChange : null;
}
