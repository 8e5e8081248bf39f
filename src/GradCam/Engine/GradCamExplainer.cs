using GradCam.Detectors;
using GradCam.Engine.Methods;
using GradCam.Engine.Targets;
using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// Explains an <see cref="ImageClassifier"/>'s predictions with Grad-CAM (Selvaraju et al., ICCV 2017) or another
/// method of the family (<see cref="CamMethod"/>): Grad-CAM's map is <c>L^c = ReLU(sum_k a_k^c A^k)</c> with
/// <c>a_k^c</c> the spatial mean of <c>dy^c/dA^k</c>, where <c>A^k</c> are the target layer's activations and <c>y^c</c>
/// the raw class score (logit). The map is bilinearly upsampled to the input size and min-max normalised.
/// </summary>
/// <remarks>
/// <para>One call explains a batch with one forward pass. Only the activations require gradients, so the backward
/// pass covers the layers after the target layer and computes no parameter gradient: a gradient-weighted map costs
/// about one forward pass (see the README's benchmark), where hooks plus a full <c>backward()</c> cost about three.
/// Score-CAM adds one forward pass per channel; Guided Backpropagation a backward pass down to the input.</para>
/// <para>Several target layers are fused (<see cref="ExplainerOptions.Fusion"/>); flip averaging and noise averaging
/// explain extra copies of the input in the same batch.</para>
/// <para>What is explained is an <see cref="ExplainTarget"/>: a class (by default the top-1), an output element, a
/// detected box or a segmentation mask; the formulas above hold with <c>y^c</c> that target's value.</para>
/// <para>Batch items are independent: item i of a batch equals the same image explained alone.</para>
/// <para>Calls are serialised; each runs in its own dispose scope, so no native memory outlives a call.</para>
/// </remarks>
public sealed partial class GradCamExplainer : IDisposable
{
    private readonly ExplainerOptions _options;
    private readonly LayerCapture _capture;
    private readonly GuidedReluHooks? _guided;
    private readonly IDisposable? _torchOnly;
    private readonly YoloDecoder? _decoder;
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Prepares a Grad-CAM explainer for a model and target layer.</summary>
    /// <param name="model">The classifier to explain; it is not disposed by the explainer.</param>
    /// <param name="layer">The dotted layer name (e.g. <c>features.28</c>); the model's default layer when null.</param>
    /// <exception cref="ArgumentException">The layer does not exist; the message lists the valid names.</exception>
    public GradCamExplainer(ImageClassifier model, string? layer = null)
        : this(model, new ExplainerOptions { Layers = string.IsNullOrEmpty(layer) ? [] : [layer] })
    {
    }

    /// <summary>Prepares an explainer with a method, target layers and averaging.</summary>
    /// <param name="model">The classifier to explain; it is not disposed by the explainer.</param>
    /// <param name="options">The method and its settings; copied, later changes do not apply.</param>
    /// <exception cref="ArgumentException">A layer does not exist (the message lists the valid names), or an option is invalid.</exception>
    public GradCamExplainer(ImageClassifier model, ExplainerOptions options)
    {
        _options = options.Clone();
        _options.Validate();
        Model = model;
        Layers = _options.Layers.Count == 0 ? [model.DefaultLayer] : _options.Layers.Distinct(StringComparer.Ordinal).ToArray();
        _options.Layers = Layers;
        var modules = Layers.Select(model.FindLayer).ToList();
        Definition = CamMethods.Get(_options.Method);
        if (Definition.UsesGuidedBackprop)
        {
            _guided = new GuidedReluHooks(model.Module);
            if (_guided.Count == 0)
            {
                _guided.Dispose();
                throw new ArgumentException($"{Definition.Name} needs ReLU modules and {model.Name} has none", nameof(options));
            }
            // Gradients down to the input: a hybrid ONNX graph runs all of itself in TorchSharp for this explainer.
            _torchOnly = model.Network.RunAllInTorchSharp();
        }
        _capture = new LayerCapture(modules, Layers);
        _decoder = model.Detector is { } detector ? new YoloDecoder(detector) : null;
        OutputNames = model.Network.OutputNames;
    }

    /// <summary>The network's outputs, by name, in order (targets read them).</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The underlying network.</summary>
    private IExplainableNetwork Network => Model.Network;

    /// <summary>How the model runs: <c>TorchSharp</c>, or for an ONNX model with the hybrid engine which part runs where.</summary>
    public string Engine => Model.Network.Engine;

    /// <summary>The explained model.</summary>
    public ImageClassifier Model { get; }

    /// <summary>The (first) target layer's dotted name.</summary>
    public string Layer => Layers[0];

    /// <summary>The target layers' dotted names.</summary>
    public IReadOnlyList<string> Layers { get; }

    /// <summary>The explanation method.</summary>
    public CamMethod Method => _options.Method;

    /// <summary>The method's definition: names, flags and computation.</summary>
    public CamMethodDefinition Definition { get; }

    /// <summary>A copy of the settings in use (target layers resolved).</summary>
    public ExplainerOptions Options => _options.Clone();

    /// <summary>Masked images per Score-CAM forward pass: the option, or its automatic choice for the model's device.</summary>
    public int ScoreCamBatchSize => _options.ScoreCamBatchSize > 0 ? _options.ScoreCamBatchSize : Model.Device.type == DeviceType.CPU ? 1 : 32;

    /// <summary>Told of long work's progress (Score-CAM's masked passes: done, total), from the explaining thread.</summary>
    public IProgress<(int Done, int Total)>? Progress { get; set; }

    /// <summary>How many batches were explained: lets tests see laziness and batching.</summary>
    internal long Calls { get; private set; }

    /// <summary>Explains a batch of preprocessed images.</summary>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c> (see <c>GradCam.Imaging.ImagePreprocessor</c>), on any device.</param>
    /// <param name="targets">Per item, what to explain (null: the top-1 class); null for the top-1 class everywhere.</param>
    /// <param name="topK">How many top classes to report (capped at the number of classes).</param>
    /// <returns>One explanation per item, in order.</returns>
    /// <exception cref="ArgumentException">The input is not a batch of images, or a target does not exist (one line saying why).</exception>
    public IReadOnlyList<Explanation> Explain(Tensor input, IReadOnlyList<ExplainTarget?>? targets = null, int topK = 5)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input.dim() != 4) throw new ArgumentException($"input must be [N, C, H, W], got [{string.Join(", ", input.shape)}]", nameof(input));
        int n = (int)input.shape[0];
        if (targets is not null && targets.Count != n)
            throw new ArgumentException($"{targets.Count} targets for a batch of {n}", nameof(targets));
        if (targets?.FirstOrDefault(t => t is DetectionTarget { IsAll: true }) is not null)
            throw new ArgumentException("box:all gives one map per detection: explain it with ExplainDetections");
        return Run(input, [targets ?? new ExplainTarget?[n]], topK)[0];
    }

    /// <summary>
    /// Explains a batch in which an item may lack its target (a detector's box rank one frame does not reach, no box
    /// near the one given: <see cref="TargetMissingException"/>): the batch is explained in one pass; when a target is
    /// missing, each item is explained alone, so only the items lacking theirs fail, each with its reason.
    /// </summary>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c>.</param>
    /// <param name="targets">Per item, what to explain (null: the top-1 class).</param>
    /// <param name="topK">How many top classes to report.</param>
    /// <returns>One outcome per item, in order.</returns>
    /// <exception cref="ArgumentException">
    /// Not the image's fault, so every item's: the input is not a batch of images, or a target cannot exist for this model
    /// (a class beyond its count, an output it does not have, a detector output that does not match the layout).
    /// </exception>
    public IReadOnlyList<ExplainOutcome> TryExplain(Tensor input, IReadOnlyList<ExplainTarget?> targets, int topK = 5)
    {
        try
        {
            return Explain(input, targets, topK).Select(e => new ExplainOutcome(e, null)).ToArray();
        }
        catch (TargetMissingException e) when (targets.Count == 1)
        {
            return [new ExplainOutcome(null, e)];
        }
        catch (TargetMissingException)
        {
            // Which items lack their target? Each alone tells.
        }
        return Enumerable.Range(0, targets.Count).Select(i =>
        {
            try
            {
                using var one = input[i].unsqueeze(0);
                return new ExplainOutcome(Explain(one, [targets[i]], topK)[0], null);
            }
            catch (TargetMissingException e)
            {
                return new ExplainOutcome(null, e);
            }
        }).ToArray();
    }

    /// <summary>
    /// Explains one image for several targets, sharing its forward pass: gradient methods run one forward and one
    /// backward pass per target (from the target layer up), so K targets cost far less than K explanations.
    /// </summary>
    /// <param name="image">One normalised image <c>[1, 3, H, W]</c>.</param>
    /// <param name="targets">What to explain, each in turn.</param>
    /// <param name="topK">How many top classes to report.</param>
    /// <returns>One explanation per target, in order.</returns>
    /// <exception cref="ArgumentException">Not one image, or a target does not exist.</exception>
    public IReadOnlyList<Explanation> ExplainEach(Tensor image, IReadOnlyList<ExplainTarget> targets, int topK = 5)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (image.dim() != 4 || image.shape[0] != 1) throw new ArgumentException($"image must be [1, C, H, W], got [{string.Join(", ", image.shape)}]", nameof(image));
        if (targets.Count == 0) return [];
        if (targets.Any(t => t is DetectionTarget { IsAll: true }))
            throw new ArgumentException("box:all gives one map per detection: explain it with ExplainDetections");
        return Run(image, targets.Select(t => (IReadOnlyList<ExplainTarget?>)[t]).ToArray(), topK).Select(set => set[0]).ToArray();
    }

    /// <summary>Explains every detection of one image (see <see cref="ImageClassifier.Detector"/>), sharing its forward pass.</summary>
    /// <param name="image">One normalised image <c>[1, 3, H, W]</c>.</param>
    /// <param name="addIoU">Add each anchor box's IoU with its detection to the score (see <see cref="DetectionTarget"/>).</param>
    /// <returns>One explanation per detection, best first; empty when nothing scores the threshold.</returns>
    /// <exception cref="ArgumentException">The model is not described as a detector, or its output does not match the layout.</exception>
    public IReadOnlyList<Explanation> ExplainDetections(Tensor image, bool addIoU = false)
    {
        if (_decoder is null) throw new ArgumentException($"{Model.Name} was not described as a detector (its output layout is needed to find boxes)");
        var detections = Detect(image)[0];
        return ExplainEach(image, detections.Select(d => (ExplainTarget)ExplainTarget.Box(d.Rank, addIoU)).ToArray());
    }

    /// <summary>The detections of each image of a batch, without explaining them.</summary>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c>.</param>
    /// <returns>Per image, its detections, best first.</returns>
    /// <exception cref="ArgumentException">The model is not described as a detector, or its output does not match the layout.</exception>
    public IReadOnlyList<IReadOnlyList<Detection>> Detect(Tensor input)
    {
        if (_decoder is null) throw new ArgumentException($"{Model.Name} was not described as a detector (its output layout is needed to find boxes)");
        lock (_gate)
        {
            using var scope = torch.NewDisposeScope();
            var outputs = ForwardNoGrad(input.to(Model.Device));
            var context = new TargetContext(Model, outputs, OutputNames, _decoder);
            return Enumerable.Range(0, (int)input.shape[0]).Select(context.Detections).ToArray();
        }
    }

    /// <summary>Explains a batch for target sets: per set, one explanation per item.</summary>
    private IReadOnlyList<Explanation>[] Run(Tensor input, IReadOnlyList<IReadOnlyList<ExplainTarget?>> sets, int topK)
    {
        if (_options.FlipAveraging && sets.Any(set => set.Any(t => t is DetectionTarget or MaskTarget)))
            throw new ArgumentException("flip averaging does not apply to box and mask targets: in the mirrored image the box and the mask are elsewhere");
        lock (_gate)
        {
            Calls++;
            using var scope = torch.NewDisposeScope();
            var x = input.to(Model.Device);
            int n = (int)x.shape[0];
            var views = new ViewBatch(x, _options);
            var resolved = new TargetSets(this, sets);
            if (!views.CleanFirst) resolved.EnsureResolved(x);

            // Per set and view: one raw map per target layer, and Guided Backpropagation's map for the guided methods.
            var layerMaps = sets.Select(_ => Layers.Select(_ => new List<Tensor>()).ToArray()).ToArray();
            var guidedMaps = sets.Select(_ => new List<Tensor>()).ToArray();
            for (int v = 0; v < views.Count; v++)
            {
                var pass = new Pass(this, scope, views.View(v), isClean: v == 0 && views.CleanFirst, resolved);
                for (int k = 0; k < sets.Count; k++)
                {
                    var maps = Definition.LayerMaps(pass.For(k));
                    for (int l = 0; l < maps.Length; l++) layerMaps[k][l].Add(maps[l]);
                    if (Definition.UsesGuidedBackprop) guidedMaps[k].Add(pass.GuidedGradients(k));
                }
            }

            var summary = ClassSummary.Of(this, resolved.Outputs![0], topK);
            var results = new IReadOnlyList<Explanation>[sets.Count];
            for (int k = 0; k < sets.Count; k++)
            {
                int set = k;
                var (cam, heat) = Definition.Combine(() => Fuse(layerMaps[set].Select(views.Reduce).ToList(), x.shape[2], x.shape[3]),
                                                     () => views.Reduce(guidedMaps[set]));
                results[k] = Collect(n, resolved, set, summary, cam, heat);
            }
            return results;
        }
    }

    /// <summary>Runs the model forward only, without gradients: the cost baseline for an explanation.</summary>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c>.</param>
    /// <returns>Logits <c>[N, classes]</c> on the CPU; the caller disposes them.</returns>
    public Tensor Forward(Tensor input)
    {
        lock (_gate)
        {
            using var scope = torch.NewDisposeScope();
            return ForwardNoGrad(input.to(Model.Device))[0].cpu().MoveToOuterDisposeScope();
        }
    }

    /// <summary>Removes the hooks from the model. The model is left to its owner.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _capture.Dispose();
        _guided?.Dispose();
        _torchOnly?.Dispose();
    }

    private Tensor[] ForwardNoGrad(Tensor x)
    {
        using var noGrad = torch.no_grad();
        return Network.RunOutputs(x);
    }

    /// <summary>One map per layer → the raw map and the normalised heatmap at input resolution.</summary>
    private (Tensor Cam, Tensor Heat) Fuse(IReadOnlyList<Tensor> maps, long height, long width)
    {
        using var noGrad = torch.no_grad();
        var normalised = maps.Select(m => TensorMaps.MinMaxNormalise(Upsample(m, height, width))).ToList();
        if (maps.Count == 1) return (maps[0], normalised[0]);
        var stacked = torch.stack(normalised);
        var fused = _options.Fusion == LayerFusion.Max ? stacked.amax([0]) : stacked.mean([0]);
        return (fused, TensorMaps.MinMaxNormalise(fused));
    }

    private static Tensor Upsample(Tensor maps, long height, long width) =>
        maps.shape[1] == height && maps.shape[2] == width
            ? maps
            : nn.functional.interpolate(maps.unsqueeze(1), [height, width], mode: InterpolationMode.Bilinear, align_corners: false).squeeze(1);

    private IReadOnlyList<Explanation> Collect(int n, TargetSets targets, int set, ClassSummary summary, Tensor cam, Tensor heat)
    {
        var scores = TensorCopy.ToFloats(targets.Scores(set, targets.Outputs!));
        var camCpu = TensorCopy.ToFloats(cam);
        var heatCpu = TensorCopy.ToFloats(heat);
        int h = (int)cam.shape[1], w = (int)cam.shape[2];
        int hh = (int)heat.shape[1], hw = (int)heat.shape[2];

        var results = new Explanation[n];
        for (int i = 0; i < n; i++)
        {
            var target = targets.Resolved![set][i];
            results[i] = new Explanation(
                summary.TopK(i), target.Class, target.Label, scores[i], summary.Probabilities(i),
                new CamMap(h, w, camCpu.AsSpan(i * h * w, h * w).ToArray()),
                new CamMap(hh, hw, heatCpu.AsSpan(i * hh * hw, hh * hw).ToArray()),
                Method)
            {
                Target = target.Target,
                Resolved = target,
                Detection = target.Detection,
                Detections = targets.Detections![i],
            };
        }
        return results;
    }
}
