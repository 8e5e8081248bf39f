using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// The class probabilities and top classes of a batch, when the model's first output is class scores
/// <c>[N, classes]</c> with two classes or more; empty for other models (detectors, segmenters, regressors).
/// </summary>
internal sealed class ClassSummary
{
    private readonly float[] _probabilities;
    private readonly float[] _topP;
    private readonly long[] _topI;
    private readonly int _classes, _k;
    private readonly ImageClassifier _model;

    private ClassSummary(ImageClassifier model, float[] probabilities, float[] topP, long[] topI, int classes, int k)
    {
        _model = model;
        _probabilities = probabilities;
        _topP = topP;
        _topI = topI;
        _classes = classes;
        _k = k;
    }

    public static ClassSummary Of(GradCamExplainer explainer, Tensor output, int topK)
    {
        var model = explainer.Model;
        // One score per image is a value (a regressor's, a binary model's logit): its softmax would always read 1.
        if (output.dim() != 2 || output.shape[1] < 2 || model.Detector is not null) return new ClassSummary(model, [], [], [], 0, 0);
        int classes = (int)output.shape[1];
        // Names for another model's classes would label every answer wrongly, silently: refuse them.
        if (model.Labels.Count > 0 && model.Labels.Count != classes)
            throw new InvalidDataException($"model '{model.Name}' scores {classes} classes, but its labels name {model.Labels.Count}");
        using var scope = torch.NewDisposeScope();
        var probs = nn.functional.softmax(output, 1);
        var (topP, topI) = probs.topk(Math.Min(topK, classes), 1);
        return new ClassSummary(model, TensorCopy.ToFloats(probs), TensorCopy.ToFloats(topP), TensorCopy.ToLongs(topI), classes, (int)topP.shape[1]);
    }

    /// <summary>Softmax probabilities of image <paramref name="i"/>'s classes (empty when the model is not a classifier).</summary>
    public float[] Probabilities(int i) => _classes == 0 ? [] : _probabilities.AsSpan(i * _classes, _classes).ToArray();

    /// <summary>Image <paramref name="i"/>'s most probable classes, best first.</summary>
    public IReadOnlyList<ClassScore> TopK(int i)
    {
        var top = new ClassScore[_k];
        for (int j = 0; j < _k; j++)
        {
            int c = (int)_topI[i * _k + j];
            top[j] = new ClassScore(c, _model.LabelOf(c), _topP[i * _k + j]);
        }
        return top;
    }
}
