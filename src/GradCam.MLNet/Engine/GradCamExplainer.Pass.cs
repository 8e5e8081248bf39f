using GradCam.Engine.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

public sealed partial class GradCamExplainer
{
    /// <summary>
    /// One explanation call's forward and backward passes over the view batch. The clean images' logits and the
    /// resolved targets come from the first pass when the batch starts with the clean images, otherwise from an
    /// extra gradient-free forward pass (noise averaging has no clean copy).
    /// </summary>
    private sealed class Pass(GradCamExplainer explainer, DisposeScope scope, ViewBatch views, IReadOnlyList<int?>? requested)
    {
        private Tensor? _logits;
        private Tensor? _targets;

        /// <summary>The clean images' logits <c>[N, classes]</c>, without gradient.</summary>
        public Tensor Logits { get { EnsureClean(); return _logits!; } }

        /// <summary>The class explained per image <c>[N]</c>.</summary>
        public Tensor Targets { get { EnsureClean(); return _targets!; } }

        /// <summary>The class explained per view <c>[views x N]</c>.</summary>
        public Tensor ViewTargets => Targets.repeat(views.Count);

        /// <summary>Each target layer's activations over the views, from a gradient-free forward pass.</summary>
        public Tensor[] Activations()
        {
            using var noGrad = torch.no_grad();
            return Capture(cutGraph: false, out _);
        }

        /// <summary>Each target layer's activations and the gradients of the target scores with respect to them.</summary>
        public (Tensor A, Tensor G)[] ActivationsAndGradients()
        {
            if (!views.CleanFirst) EnsureClean();
            using var grad = torch.enable_grad();
            var activations = Capture(cutGraph: true, out var output);
            // dy^c/dA for every item at once: the items' scores are independent, so the gradient of their sum
            // w.r.t. A holds each item's own gradient.
            var score = output.gather(1, ViewTargets.unsqueeze(1)).sum();
            var gradients = torch.autograd.grad([score], activations);
            return activations.Zip(gradients, (a, g) => (a.detach(), g)).ToArray();
        }

        /// <summary>Guided Backpropagation: the largest absolute guided gradient over colour channels <c>[views x N, H, W]</c>.</summary>
        public Tensor GuidedGradients()
        {
            if (!views.CleanFirst) EnsureClean();
            using var grad = torch.enable_grad();
            var input = views.Batch.detach().requires_grad_(true);
            Tensor output;
            using (explainer._guided!.Arm()) output = explainer.Model.Module.call(input);
            TakeClean(output);
            var score = output.gather(1, ViewTargets.unsqueeze(1)).sum();
            var gradient = torch.autograd.grad([score], [input])[0];
            return gradient.abs().amax([1]);
        }

        private Tensor[] Capture(bool cutGraph, out Tensor output)
        {
            explainer._capture.Arm(scope, cutGraph);
            Tensor?[] captured;
            try { output = explainer.Model.Module.call(views.Batch); }
            finally { captured = explainer._capture.Disarm(); }
            var activations = new Tensor[captured.Length];
            for (int i = 0; i < captured.Length; i++)
            {
                string layer = explainer.Layers[i];
                activations[i] = captured[i] ?? throw new InvalidOperationException(
                    $"layer '{layer}' did not run during the forward pass of {explainer.Model.Name} (forward hooks fire only for modules invoked through Module.call())");
                if (activations[i].dim() != 4)
                    throw new InvalidOperationException($"layer '{layer}' outputs [{string.Join(", ", activations[i].shape)}]; {CamMethodNames.TitleOf(explainer.Method)} needs a [N, C, H, W] feature map");
            }
            TakeClean(output);
            return activations;
        }

        private void TakeClean(Tensor output)
        {
            if (_logits is null && views.CleanFirst) Resolve(output[..(int)views.Items].detach());
        }

        private void EnsureClean()
        {
            if (_logits is null) Resolve(explainer.ForwardNoGrad(views.Clean));
        }

        private void Resolve(Tensor logits)
        {
            using var noGrad = torch.no_grad();
            _logits = logits;
            int classes = (int)logits.shape[1];
            var top1 = logits.argmax(1);
            if (requested is null || requested.All(t => t is null)) { _targets = top1; return; }
            var chosen = TensorCopy.ToLongs(top1);
            for (int i = 0; i < chosen.Length; i++)
            {
                if (requested[i] is not int t) continue;
                if (t < 0 || t >= classes)
                    throw new ArgumentOutOfRangeException("targets", $"target class {t} is out of range: the model has {classes} classes (0..{classes - 1})");
                chosen[i] = t;
            }
            _targets = torch.tensor(chosen, device: logits.device);
        }
    }
}
