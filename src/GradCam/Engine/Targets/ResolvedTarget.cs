using GradCam.Detectors;
using static TorchSharp.torch;

namespace GradCam.Engine.Targets;

/// <summary>A target fixed for one image: the element it differentiates and how to read it from the model's outputs.</summary>
/// <param name="Target">The target as resolved (e.g. the top class as a <see cref="ClassTarget"/> with its index).</param>
/// <param name="Class">The class it concerns, or -1 (an output element).</param>
/// <param name="Label">What it is called in reports.</param>
/// <param name="Scores">From the outputs of a batch of copies of the image, the explained value of each <c>[b]</c>.</param>
/// <param name="Detection">The detection explained, for box targets.</param>
internal sealed record ResolvedTarget(ExplainTarget Target, int Class, string Label, Func<Tensor[], Tensor> Scores, Detection? Detection = null)
{
    /// <summary>
    /// What faithfulness metrics follow on perturbed copies <c>[b]</c>: a class's softmax probability, otherwise the value
    /// itself (a box's score is already one; an output element has no probability).
    /// </summary>
    public Func<Tensor[], Tensor> Confidence { get; init; } = Scores;
}
