using GradCam.Engine.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

public sealed partial class GradCamExplainer
{
    /// <summary>
    /// The classes one call explains, resolved once: from the clean images' logits, which come from the first pass
    /// when it runs on the clean images, otherwise from an extra gradient-free forward pass (noise averaging has no
    /// clean copy).
    /// </summary>
    private sealed class TargetClasses(GradCamExplainer explainer, IReadOnlyList<int?>? requested)
    {
        /// <summary>The clean images' logits <c>[N, classes]</c>, without gradient; null until resolved.</summary>
        public Tensor? Logits { get; private set; }

        /// <summary>The class explained per image <c>[N]</c>; null until resolved.</summary>
        public Tensor? Indices { get; private set; }

        public void ResolveFrom(Tensor logits)
        {
            using var noGrad = torch.no_grad();
            Logits = logits.detach();
            int classes = (int)logits.shape[1];
            var top1 = Logits.argmax(1);
            if (requested is null || requested.All(t => t is null)) { Indices = top1; return; }
            var chosen = TensorCopy.ToLongs(top1);
            for (int i = 0; i < chosen.Length; i++)
            {
                if (requested[i] is not int t) continue;
                if (t < 0 || t >= classes)
                    throw new ArgumentOutOfRangeException("targets", $"target class {t} is out of range: the model has {classes} classes (0..{classes - 1})");
                chosen[i] = t;
            }
            Indices = torch.tensor(chosen, device: logits.device);
        }

        public void EnsureResolved(Tensor clean)
        {
            if (Logits is null) ResolveFrom(explainer.ForwardNoGrad(clean));
        }
    }

    /// <summary>
    /// The forward and backward passes over one view of the batch (the images, their mirror or a noisy copy).
    /// When <paramref name="isClean"/>, its forward pass also resolves the targets.
    /// </summary>
    private sealed class Pass(GradCamExplainer explainer, DisposeScope scope, Tensor input, bool isClean, TargetClasses targets) : ICamPass
    {
        public int MaskBatchSize => explainer.ScoreCamBatchSize;

        public IProgress<(int Done, int Total)>? Progress => explainer.Progress;

        public Tensor Forward(Tensor masked) => explainer.ForwardNoGrad(masked);

        public Tensor Input => input;

        public Tensor Targets => targets.Indices ?? throw new InvalidOperationException("targets are resolved by the first pass");

        /// <summary>Each target layer's activations, from a gradient-free forward pass.</summary>
        public Tensor[] Activations()
        {
            using var noGrad = torch.no_grad();
            return Capture(cutGraph: false, out _);
        }

        /// <summary>Each target layer's activations and the gradients of the target scores with respect to them.</summary>
        public (Tensor A, Tensor G)[] ActivationsAndGradients()
        {
            Tensor[] activations;
            Tensor output;
            // Gradients off up to the first target layer, whose hook switches them on for the layers after it.
            using (torch.no_grad()) activations = Capture(cutGraph: true, out output);
            using var grad = torch.enable_grad();
            // dy^c/dA for every item at once: the items' scores are independent, so the gradient of their sum
            // w.r.t. A holds each item's own gradient.
            var score = output.gather(1, Targets.unsqueeze(1)).sum();
            var gradients = torch.autograd.grad([score], activations);
            return activations.Zip(gradients, (a, g) => (a.detach(), g)).ToArray();
        }

        /// <summary>Guided Backpropagation: the largest absolute guided gradient over colour channels <c>[N, H, W]</c>.</summary>
        public Tensor GuidedGradients()
        {
            using var grad = torch.enable_grad();
            var leaf = input.detach().requires_grad_(true);
            Tensor output;
            using (explainer._guided!.Arm()) output = explainer.Model.Module.call(leaf);
            TakeTargets(output);
            var score = output.gather(1, Targets.unsqueeze(1)).sum();
            var gradient = torch.autograd.grad([score], [leaf])[0];
            return gradient.abs().amax([1]);
        }

        private Tensor[] Capture(bool cutGraph, out Tensor output)
        {
            explainer._capture.Arm(scope, cutGraph);
            Tensor?[] captured;
            try { output = explainer.Model.Module.call(input); }
            finally { captured = explainer._capture.Disarm(); }
            var activations = new Tensor[captured.Length];
            for (int i = 0; i < captured.Length; i++)
            {
                string layer = explainer.Layers[i];
                activations[i] = captured[i] ?? throw new InvalidOperationException(
                    $"layer '{layer}' did not run during the forward pass of {explainer.Model.Name} (forward hooks fire only for modules invoked through Module.call())");
                if (activations[i].dim() != 4)
                    throw new InvalidOperationException($"layer '{layer}' outputs [{string.Join(", ", activations[i].shape)}]; {explainer.Definition.Title} needs a [N, C, H, W] feature map");
            }
            TakeTargets(output);
            return activations;
        }

        private void TakeTargets(Tensor output)
        {
            if (isClean && targets.Logits is null) targets.ResolveFrom(output);
        }
    }
}
