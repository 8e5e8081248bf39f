using GradCam.Engine.Methods;

namespace GradCam.Engine;

/// <summary>What the model predicted for one image and where it looked for the explained class.</summary>
public sealed class Explanation
{
    /// <summary>Creates an explanation.</summary>
    /// <param name="topK">The most probable classes, best first.</param>
    /// <param name="targetClass">The class the map explains.</param>
    /// <param name="targetLabel">Its name.</param>
    /// <param name="targetLogit">Its raw score y^c (before softmax), the value differentiated.</param>
    /// <param name="probabilities">Softmax probabilities of every class.</param>
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

    /// <summary>The class the map explains.</summary>
    public int TargetClass { get; }

    /// <summary>The explained class's name.</summary>
    public string TargetLabel { get; }

    /// <summary>The explained class's raw score (logit).</summary>
    public float TargetLogit { get; }

    /// <summary>The explained class's softmax probability.</summary>
    public float TargetProbability => Probabilities[TargetClass];

    /// <summary>Softmax probabilities of every class.</summary>
    public float[] Probabilities { get; }

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
