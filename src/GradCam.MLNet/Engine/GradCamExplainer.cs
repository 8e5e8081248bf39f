using GradCam.Imaging;
using GradCam.Models;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// Explains an <see cref="ImageClassifier"/>'s predictions with Grad-CAM (Selvaraju et al., ICCV 2017):
/// <c>L^c = ReLU(sum_k a_k^c A^k)</c> with <c>a_k^c</c> the spatial mean of <c>dy^c/dA^k</c>, where <c>A^k</c> are the
/// target layer's activations and <c>y^c</c> the raw class score (logit). The CAM is bilinearly upsampled to the input
/// size and min-max normalised.
/// </summary>
/// <remarks>
/// <para>One call explains a batch with one forward pass. Only the activations require gradients, so the backward
/// pass covers the layers after the target layer and computes no parameter gradient: an explanation costs about
/// one forward pass (see the README's benchmark), where hooks plus a full <c>backward()</c> cost about three.</para>
/// <para>Batch items are independent: item i of a batch equals the same image explained alone.</para>
/// <para>Calls are serialised; each runs in its own dispose scope, so no native memory outlives a call.</para>
/// </remarks>
public sealed class GradCamExplainer : IDisposable
{
    private readonly LayerCapture _capture;
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Prepares an explainer for a model and target layer.</summary>
    /// <param name="model">The classifier to explain; it is not disposed by the explainer.</param>
    /// <param name="layer">The dotted layer name (e.g. <c>features.28</c>); the model's default layer when null.</param>
    /// <exception cref="ArgumentException">The layer does not exist; the message lists the valid names.</exception>
    public GradCamExplainer(ImageClassifier model, string? layer = null)
    {
        Model = model;
        Layer = string.IsNullOrEmpty(layer) ? model.DefaultLayer : layer;
        _capture = new LayerCapture(model.FindLayer(Layer));
    }

    /// <summary>The explained model.</summary>
    public ImageClassifier Model { get; }

    /// <summary>The target layer's dotted name.</summary>
    public string Layer { get; }

    /// <summary>How many batches were explained (each is one forward pass): lets tests see laziness and batching.</summary>
    internal long Calls { get; private set; }

    /// <summary>Explains one image file-decoded by OpenCV (BGR).</summary>
    /// <param name="image">An 8-bit BGR image of any size.</param>
    /// <param name="target">The class to explain; the top-1 class when null.</param>
    /// <param name="topK">How many top classes to report.</param>
    public Explanation Explain(Mat image, int? target = null, int topK = 5)
    {
        using var input = ImagePreprocessor.ToTensor(image, Model.Input);
        using var batch = input.unsqueeze(0);
        return Explain(batch, [target], topK)[0];
    }

    /// <summary>Explains several images in one batch.</summary>
    /// <param name="images">8-bit BGR images of any sizes.</param>
    /// <param name="targets">Per image, the class to explain (null: top-1); null for top-1 everywhere.</param>
    /// <param name="topK">How many top classes to report.</param>
    public IReadOnlyList<Explanation> Explain(IReadOnlyList<Mat> images, IReadOnlyList<int?>? targets = null, int topK = 5)
    {
        using var batch = ImagePreprocessor.ToBatch(images, Model.Input);
        return Explain(batch, targets, topK);
    }

    /// <summary>Explains a batch of preprocessed images.</summary>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c> (see <see cref="ImagePreprocessor"/>), on any device.</param>
    /// <param name="targets">Per item, the class to explain (null: top-1); null for top-1 everywhere.</param>
    /// <param name="topK">How many top classes to report (capped at the number of classes).</param>
    /// <returns>One explanation per item, in order.</returns>
    /// <exception cref="ArgumentException">The input is not a batch of images, or a target is out of range.</exception>
    public IReadOnlyList<Explanation> Explain(Tensor input, IReadOnlyList<int?>? targets = null, int topK = 5)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input.dim() != 4) throw new ArgumentException($"input must be [N, C, H, W], got [{string.Join(", ", input.shape)}]", nameof(input));
        int n = (int)input.shape[0];
        if (targets is not null && targets.Count != n)
            throw new ArgumentException($"{targets.Count} targets for a batch of {n}", nameof(targets));

        lock (_gate)
        {
            Calls++;
            using var scope = torch.NewDisposeScope();
            using var grad = torch.enable_grad();
            var x = input.to(Model.Device);

            _capture.Arm(scope);
            Tensor logits;
            Tensor? captured;
            try { logits = Model.Module.call(x); }
            finally { captured = _capture.Disarm(); }
            var activations = captured ?? throw new InvalidOperationException(
                $"layer '{Layer}' did not run during the forward pass of {Model.Name} (forward hooks fire only for modules invoked through Module.call())");
            if (activations.dim() != 4)
                throw new InvalidOperationException($"layer '{Layer}' outputs [{string.Join(", ", activations.shape)}]; Grad-CAM needs a [N, C, H, W] feature map");

            int classes = (int)logits.shape[1];
            var targetIndex = ResolveTargets(logits, targets, classes);

            // dy^c/dA^k for every item at once: the items' scores are independent, so the gradient of their sum
            // w.r.t. A holds each item's own gradient.
            var score = logits.gather(1, targetIndex.unsqueeze(1)).sum();
            var gradients = torch.autograd.grad([score], [activations])[0];

            using var noGrad = torch.no_grad();
            var weights = gradients.mean([2, 3], keepdim: true);                 // a_k^c
            var cam = (weights * activations.detach()).sum(1).relu_();           // [N, h, w]
            var heat = nn.functional.interpolate(cam.unsqueeze(1), [Model.Input.Height, Model.Input.Width],
                                                 mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);
            heat = MinMaxNormalise(heat);
            var probs = nn.functional.softmax(logits.detach(), 1);
            var (topP, topI) = probs.topk(Math.Min(topK, classes), 1);

            return Collect(n, classes, targetIndex, logits.detach(), probs, topP, topI, cam, heat);
        }
    }

    /// <summary>Runs the model forward only, without gradients: the cost baseline for an explanation.</summary>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c>.</param>
    /// <returns>Logits <c>[N, classes]</c> on the CPU; the caller disposes them.</returns>
    public Tensor Forward(Tensor input)
    {
        lock (_gate)
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            return Model.Module.call(input.to(Model.Device)).cpu().MoveToOuterDisposeScope();
        }
    }

    /// <summary>Removes the hook from the target layer. The model is left to its owner.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _capture.Dispose();
    }

    private static Tensor ResolveTargets(Tensor logits, IReadOnlyList<int?>? targets, int classes)
    {
        using var noGrad = torch.no_grad();
        var top1 = logits.argmax(1);
        if (targets is null || targets.All(t => t is null)) return top1;
        var chosen = TensorCopy.ToLongs(top1);
        for (int i = 0; i < chosen.Length; i++)
        {
            if (targets[i] is not int t) continue;
            if (t < 0 || t >= classes)
                throw new ArgumentOutOfRangeException(nameof(targets), $"target class {t} is out of range: the model has {classes} classes (0..{classes - 1})");
            chosen[i] = t;
        }
        return torch.tensor(chosen, device: logits.device);
    }

    private static Tensor MinMaxNormalise(Tensor maps)
    {
        var flat = maps.flatten(1);
        var min = flat.amin([1], keepdim: true);
        var range = flat.amax([1], keepdim: true) - min;
        // A flat map (no evidence at all) normalises to zeros rather than NaN.
        var normalised = (flat - min) / range.clamp_min(1e-12f);
        return torch.where(range > 0, normalised, torch.zeros_like(normalised)).view_as(maps);
    }

    private IReadOnlyList<Explanation> Collect(int n, int classes, Tensor targetIndex, Tensor logits, Tensor probs,
                                               Tensor topP, Tensor topI, Tensor cam, Tensor heat)
    {
        var targetsCpu = TensorCopy.ToLongs(targetIndex);
        var logitsCpu = TensorCopy.ToFloats(logits);
        var probsCpu = TensorCopy.ToFloats(probs);
        var topPCpu = TensorCopy.ToFloats(topP);
        var topICpu = TensorCopy.ToLongs(topI);
        var camCpu = TensorCopy.ToFloats(cam);
        var heatCpu = TensorCopy.ToFloats(heat);
        int k = (int)topP.shape[1], h = (int)cam.shape[1], w = (int)cam.shape[2];
        int hh = (int)heat.shape[1], hw = (int)heat.shape[2];

        var results = new Explanation[n];
        for (int i = 0; i < n; i++)
        {
            int target = (int)targetsCpu[i];
            var top = new ClassScore[k];
            for (int j = 0; j < k; j++)
            {
                int c = (int)topICpu[i * k + j];
                top[j] = new ClassScore(c, Model.LabelOf(c), topPCpu[i * k + j]);
            }
            results[i] = new Explanation(
                top, target, Model.LabelOf(target), logitsCpu[i * classes + target],
                probsCpu.AsSpan(i * classes, classes).ToArray(),
                new CamMap(h, w, camCpu.AsSpan(i * h * w, h * w).ToArray()),
                new CamMap(hh, hw, heatCpu.AsSpan(i * hh * hw, hh * hw).ToArray()));
        }
        return results;
    }
}
