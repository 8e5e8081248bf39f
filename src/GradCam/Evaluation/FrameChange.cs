namespace GradCam.Evaluation;

/// <summary>How much one explained frame differs from the previous one: its map, its heat and the scene itself.</summary>
/// <param name="Map"><c>1 − r</c> of the two heat maps (<see cref="MapDifference.Decorrelation"/>): how the pattern moved.</param>
/// <param name="Heat">Mean absolute difference of the heat in [0, 1] (<see cref="MapDifference.MeanAbsolute"/>): how its brightness changed.</param>
/// <param name="Scene"><c>1 − r</c> of the two frames' luminance on the map's grid (<see cref="SceneGrid"/>): how much the input moved.</param>
public readonly record struct FrameChange(double Map, double Heat, double Scene);
