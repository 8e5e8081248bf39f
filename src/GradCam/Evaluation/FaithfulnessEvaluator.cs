using GradCam.Engine;
using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Evaluation;

/// <summary>
/// Scores heatmaps by what the model does when the pixels they point at are removed or kept:
/// <list type="bullet">
/// <item>Deletion and insertion (Petsiuk et al., RISE, BMVC 2018): pixels ranked by the heatmap are deleted (set to 0
/// in normalised space, the dataset's mean colour) or inserted into a blurred copy of the image, most salient first, in
/// equal steps; the target's probability traces a curve whose area is the score.</item>
/// <item>Average Drop and Increase in Confidence (Chattopadhay et al., Grad-CAM++, WACV 2018): the probability on the
/// image multiplied pixel-wise by the heatmap (black where it is 0) against the probability on the image.</item>
/// </list>
/// All images of one evaluation go through the model in batches without gradients.
/// </summary>
public sealed class FaithfulnessEvaluator
{
    private readonly FaithfulnessOptions _options;

    /// <summary>Prepares an evaluator for a model.</summary>
    /// <param name="model">The classifier whose decisions the heatmaps explain.</param>
    /// <param name="options">Steps, batch size and blur; defaults when null.</param>
    public FaithfulnessEvaluator(ImageClassifier model, FaithfulnessOptions? options = null)
    {
        _options = options ?? new FaithfulnessOptions();
        _options.Validate();
        Model = model;
    }

    /// <summary>The classifier.</summary>
    public ImageClassifier Model { get; }

    /// <summary>Scores one heatmap.</summary>
    /// <param name="image">The normalised image <c>[3, H, W]</c> (or <c>[1, 3, H, W]</c>) the heatmap explains.</param>
    /// <param name="heatmap">The heatmap at the image's resolution, in [0, 1].</param>
    /// <param name="target">The explained class.</param>
    /// <exception cref="ArgumentException">The heatmap does not cover the image pixel for pixel.</exception>
    public FaithfulnessScore Evaluate(Tensor image, CamMap heatmap, int target) =>
        Evaluate(image, heatmap, target, outputs => nn.functional.softmax(outputs[0], 1)[.., target]);

    /// <summary>
    /// Scores an explanation's heatmap by its own target: a class's probability, a box's score at its anchor, an output
    /// element's value (the curves then trace that value, not a probability).
    /// </summary>
    /// <param name="image">The normalised image <c>[3, H, W]</c> (or <c>[1, 3, H, W]</c>) that was explained.</param>
    /// <param name="explanation">Its explanation by a <see cref="GradCamExplainer"/> of this evaluator's model.</param>
    /// <exception cref="ArgumentException">The heatmap does not cover the image pixel for pixel.</exception>
    public FaithfulnessScore Evaluate(Tensor image, Explanation explanation) => explanation.Resolved is { } resolved
        ? Evaluate(image, explanation.Heatmap, explanation.TargetClass, resolved.Confidence)
        : Evaluate(image, explanation.Heatmap, explanation.TargetClass);

    private FaithfulnessScore Evaluate(Tensor image, CamMap heatmap, int target, Func<Tensor[], Tensor> confidence)
    {
        using var scope = torch.NewDisposeScope();
        var x = (image.dim() == 4 ? image[0] : image).to(Model.Device);
        long h = x.shape[1], w = x.shape[2];
        if (heatmap.Height != h || heatmap.Width != w)
            throw new ArgumentException($"the heatmap is {heatmap.Width}x{heatmap.Height}, the image {w}x{h}: score the input-resolution heatmap", nameof(heatmap));

        int steps = _options.Steps;
        // Each pixel's rank by saliency (ties keep row-major order), and how many pixels each step has touched.
        var data = heatmap.Data;
        var order = Enumerable.Range(0, data.Length).OrderByDescending(i => data[i]).ToArray(); // stable
        var rank = new long[order.Length];
        for (int r = 0; r < order.Length; r++) rank[order[r]] = r;
        var counts = Enumerable.Range(0, steps + 1).Select(s => (long)Math.Floor((double)s * order.Length / steps + 0.5)).ToArray();
        var touched = torch.tensor(rank, device: x.device).view(1, 1, h, w) < torch.tensor(counts, device: x.device).view(-1, 1, 1, 1);

        var deletion = x.unsqueeze(0) * touched.logical_not();                         // [S+1, 3, H, W]
        var insertion = torch.where(touched, x.unsqueeze(0), Blur(x).unsqueeze(0));
        var mask = torch.tensor(heatmap.Data, device: x.device).view(1, h, w);
        var mean = torch.tensor(Model.Input.ModelMean, device: x.device).view(3, 1, 1);
        var std = torch.tensor(Model.Input.ModelStd, device: x.device).view(3, 1, 1);
        var explanationMap = ((x * std + mean) * mask - mean) / std;                   // pixels x heatmap, renormalised

        var probabilities = Confidences(torch.cat([x.unsqueeze(0), deletion, insertion, explanationMap.unsqueeze(0)]), confidence);
        return new FaithfulnessScore(target, probabilities[0],
                                     probabilities[1..(steps + 2)], probabilities[(steps + 2)..(2 * steps + 3)], probabilities[^1]);
    }

    private double[] Confidences(Tensor batch, Func<Tensor[], Tensor> confidence)
    {
        using var noGrad = torch.no_grad();
        var result = new List<double>();
        for (long start = 0; start < batch.shape[0]; start += _options.BatchSize)
        {
            using var chunk = torch.NewDisposeScope();
            var outputs = Model.Network.RunOutputs(batch.narrow(0, start, Math.Min(_options.BatchSize, batch.shape[0] - start)));
            result.AddRange(TensorCopy.ToFloats(confidence(outputs)).Select(p => (double)p));
        }
        return result.ToArray();
    }

    private Tensor Blur(Tensor x)
    {
        // A separable Gaussian, zero-padded as RISE does (its kernel: 11 taps at sigma 5).
        int radius = (int)Math.Ceiling(_options.BlurSigma);
        var taps = Enumerable.Range(-radius, 2 * radius + 1).Select(i => Math.Exp(-i * i / (2 * _options.BlurSigma * _options.BlurSigma))).ToArray();
        double total = taps.Sum();
        var kernel = torch.tensor(taps.Select(t => (float)(t / total)).ToArray(), device: x.device);
        long c = x.shape[0];
        var rows = nn.functional.conv2d(x.unsqueeze(0), kernel.view(1, 1, 1, -1).expand(c, 1, 1, -1), padding: [0, radius], groups: c);
        return nn.functional.conv2d(rows, kernel.view(1, 1, -1, 1).expand(c, 1, -1, 1), padding: [radius, 0], groups: c)[0];
    }
}
