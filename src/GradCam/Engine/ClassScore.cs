namespace GradCam.Engine;

/// <summary>One class of a prediction.</summary>
/// <param name="Index">The class index.</param>
/// <param name="Label">The class name.</param>
/// <param name="Probability">Its softmax probability.</param>
public readonly record struct ClassScore(int Index, string Label, float Probability);
