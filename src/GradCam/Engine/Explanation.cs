using GradCam.Detectors;
using GradCam.Engine.Methods;
using GradCam.Engine.Targets;

namespace GradCam.Engine;

/// <summary>What the model predicted for one image and where it looked for the explained target.</summary>
public sealed class Explanation
{
    /// <summary>Creates an explanation.</summary>
    /// <param name="topK">The most probable classes, best first.</param>
    /// <param name="targetClass">The class the map explains (-1 for an output element).</param>
    /// <param name="targetLabel">Its name.</param>
    /// <param name="targetLogit">The value differentiated: a class's raw score y^c (before softmax), a box's score, an output element.</param>
    /// <param name="probabilities">Softmax probabilities of every class (empty when the model is not a classifier).</param>
    /// <param name="cam">The raw map at the target layer's resolution (after ReLU, before normalisation).</param>
    /// <param name="heatmap">The map upsampled (bilinear) to the input resolution and min-max normalised to [0, 1].</param>
    /// <param name="method">The method that made the map.</param>
    public Explanation(IReadOnlyList<ClassScore> topK, int targetClass, string targetLabel, float targetLogit,
                       float[] probabilities, CamMap cam, CamMap heatmap, CamMethod method = CamMethod.GradCam)
    {
        Method = method;
        TopK = topK;
        TargetClass = targetClass;
        TargetLabel = targetLabel;
        TargetLogit = targetLogit;
        Probabilities = probabilities;
        Cam = cam;
        Heatmap = heatmap;
    }

    /// <summary>The most probable classes, best first.</summary>
    public IReadOnlyList<ClassScore> TopK { get; }

    /// <summary>
    /// Whether the model's output and the map are finite numbers. NaN or infinite logits (broken weights, an overflow)
    /// make every number of the explanation meaningless: callers should report the item, not use it.
    /// </summary>
    public bool IsFinite => _isFinite ??= float.IsFinite(TargetLogit) && Array.TrueForAll(Probabilities, float.IsFinite)
                                          && Array.TrueForAll(Cam.Data, float.IsFinite);

    private bool? _isFinite;

    /// <summary>The class the map explains (a detection's class for a box); -1 for an output element.</summary>
    public int TargetClass { get; }

    /// <summary>The explained target's name (a class label, <c>stop sign #0</c> for a box, <c>-steer</c> for an output).</summary>
    public string TargetLabel { get; }

    /// <summary>The value differentiated: the class's raw score (logit), the box's score, or the output element (negated when asked).</summary>
    public float TargetLogit { get; }

    /// <summary>The explained class's softmax probability; for a box, its score; NaN when neither applies.</summary>
    public float TargetProbability => TargetClass >= 0 && TargetClass < Probabilities.Length ? Probabilities[TargetClass]
                                      : Detection?.Score ?? float.NaN;

    /// <summary>Softmax probabilities of every class; empty when the model's first output is not class scores.</summary>
    public float[] Probabilities { get; }

    /// <summary>What was explained, resolved (the top class as the class it was); the top class when not set.</summary>
    public ExplainTarget Target { get; init; } = ExplainTarget.TopClass;

    /// <summary>How the explained value and its confidence are read from the model's outputs (for faithfulness metrics).</summary>
    internal ResolvedTarget? Resolved { get; init; }

    /// <summary>The detection explained, for a box target.</summary>
    public Detection? Detection { get; init; }

    /// <summary>One line for displays: the top class (<c>car 92.3%</c>), the explained box (<c>stop sign #0 0.91</c>) or value (<c>-brake -0.42</c>).</summary>
    public string Headline => Detection is { } d ? FormattableString.Invariant($"{d.Label} #{d.Rank} {d.Score:0.00}")
        : TopK.Count > 0 ? FormattableString.Invariant($"{TopK[0].Label.Split(',')[0]} {TopK[0].Probability * 100:0.0}%")
        : FormattableString.Invariant($"{TargetLabel} {TargetLogit:0.###}");

    /// <summary>Every detection of the image, best first, when the model is a detector; otherwise empty.</summary>
    public IReadOnlyList<Detection> Detections { get; init; } = [];

    /// <summary>The method that made the map.</summary>
    public CamMethod Method { get; }

    /// <summary>
    /// The raw map: for Grad-CAM, ReLU(sum_k a_k^c A^k) at the target layer's resolution. Guided methods give it at the
    /// input's resolution; several fused layers give the fused map at the input's resolution.
    /// </summary>
    public CamMap Cam { get; }

    /// <summary>The CAM upsampled to the model's input resolution and min-max normalised to [0, 1] (all zeros when the CAM is flat).</summary>
    public CamMap Heatmap { get; }
}
