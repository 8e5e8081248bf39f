using GradCam.Detectors;
using GradCam.Engine.Methods;
using GradCam.Engine.Targets;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

public sealed partial class GradCamExplainer
{
    /// <summary>
    /// The targets one call explains, resolved once per image from the clean images' outputs: from the first pass when
    /// it runs on the clean images, otherwise from an extra gradient-free forward pass (noise averaging has no clean copy).
    /// Target set <c>k</c> gives image <c>i</c> its target <c>requested[k][i]</c>: one set for <see cref="Explain"/>,
    /// one per target for <see cref="ExplainEach"/>, whose targets share each forward pass.
    /// </summary>
    private sealed class TargetSets(GradCamExplainer explainer, IReadOnlyList<IReadOnlyList<ExplainTarget?>> requested)
    {
        /// <summary>The clean images' outputs, without gradient; null until resolved.</summary>
        public Tensor[]? Outputs { get; private set; }

        /// <summary>Per set and image, the resolved target; null until resolved.</summary>
        public ResolvedTarget[][]? Resolved { get; private set; }

        /// <summary>Per image, its detections (empty when the model is not a detector); null until resolved.</summary>
        public IReadOnlyList<Detection>[]? Detections { get; private set; }

        public int Count => requested.Count;

        public void ResolveFrom(Tensor[] outputs)
        {
            using var noGrad = torch.no_grad();
            Outputs = outputs.Select(o => o.detach()).ToArray();
            var context = new TargetContext(explainer.Model, Outputs, explainer.OutputNames, explainer._decoder);
            int n = (int)Outputs[0].shape[0];
            Resolved = requested.Select(set => Enumerable.Range(0, n).Select(i => (set[i] ?? ExplainTarget.TopClass).Resolve(context, i)).ToArray()).ToArray();
            Detections = Enumerable.Range(0, n).Select(i => explainer._decoder is null ? [] : context.Detections(i)).ToArray();
        }

        public void EnsureResolved(Tensor clean)
        {
            if (Outputs is null) ResolveFrom(explainer.ForwardNoGrad(clean));
        }

        /// <summary>Set <paramref name="set"/>'s explained values of a batch of images <c>[N]</c>, one per image.</summary>
        public Tensor Scores(int set, Tensor[] outputs)
        {
            var targets = Resolved ?? throw new InvalidOperationException("targets are resolved by the first pass");
            long n = outputs[0].shape[0];
            return torch.cat(Enumerable.Range(0, (int)n).Select(i => targets[set][i].Scores(outputs.Select(o => o.narrow(0, i, 1)).ToArray())).ToArray());
        }
    }

    /// <summary>
    /// The forward and backward passes over one view of the batch (the images, their mirror or a noisy copy). One
    /// forward pass serves every target set; each set has its own backward pass. When <paramref name="isClean"/>, the
    /// forward pass also resolves the targets.
    /// </summary>
    private sealed class Pass(GradCamExplainer explainer, DisposeScope scope, Tensor input, bool isClean, TargetSets targets)
    {
        private Tensor[]? _activations;
        private Tensor[]? _outputs;
        private Tensor[]? _plainActivations;

        /// <summary>What a method sees of this pass for one target set.</summary>
        public ICamPass For(int set) => new SetPass(this, set);

        private Tensor[] Activations()
        {
            if (_plainActivations is not null) return _plainActivations;
            using var noGrad = torch.no_grad();
            return _plainActivations = Capture(cutGraph: false, out _);
        }

        private (Tensor A, Tensor G)[] ActivationsAndGradients(int set)
        {
            if (_activations is null)
            {
                // Gradients off up to the first target layer, whose hook switches them on for the layers after it.
                using (torch.no_grad()) _activations = Capture(cutGraph: true, out _outputs);
            }
            using var grad = torch.enable_grad();
            // dy/dA for every item at once: the items' values are independent, so the gradient of their sum w.r.t. A
            // holds each item's own gradient. Further target sets reuse the graph of the same forward pass.
            var score = targets.Scores(set, _outputs!).sum();
            var gradients = torch.autograd.grad([score], _activations, retain_graph: set < targets.Count - 1);
            return _activations.Zip(gradients, (a, g) => (a.detach(), g)).ToArray();
        }

        /// <summary>Guided Backpropagation: the largest absolute guided gradient over colour channels <c>[N, H, W]</c>.</summary>
        public Tensor GuidedGradients(int set)
        {
            using var grad = torch.enable_grad();
            var leaf = input.detach().requires_grad_(true);
            Tensor[] outputs;
            using (explainer._guided!.Arm()) outputs = explainer.Network.RunOutputs(leaf);
            TakeTargets(outputs);
            var score = targets.Scores(set, outputs).sum();
            var gradient = torch.autograd.grad([score], [leaf])[0];
            return gradient.abs().amax([1]);
        }

        private Tensor[] Capture(bool cutGraph, out Tensor[] outputs)
        {
            explainer._capture.Arm(scope, cutGraph, input.shape[2], input.shape[3]);
            Tensor?[] captured;
            try { outputs = explainer.Network.RunOutputs(input); }
            finally { captured = explainer._capture.Disarm(); }
            var activations = new Tensor[captured.Length];
            for (int i = 0; i < captured.Length; i++)
                activations[i] = captured[i] ?? throw new InvalidOperationException(
                    $"layer '{explainer.Layers[i]}' did not run during the forward pass of {explainer.Model.Name} (forward hooks fire only for modules invoked through Module.call())");
            TakeTargets(outputs);
            return activations;
        }

        private void TakeTargets(Tensor[] outputs)
        {
            if (isClean && targets.Outputs is null) targets.ResolveFrom(outputs);
        }

        private sealed class SetPass(Pass pass, int set) : ICamPass
        {
            public Tensor Input => pass.Input;

            public int MaskBatchSize => pass.MaskBatchSize;

            public IProgress<(int Done, int Total)>? Progress => pass.Progress;

            public Tensor[] Activations() => pass.Activations();

            public (Tensor A, Tensor G)[] ActivationsAndGradients() => pass.ActivationsAndGradients(set);

            public Tensor Scores(Tensor masked, long item)
            {
                var outputs = pass.ForwardNoGrad(masked);
                return pass.TargetScores(set, item, outputs);
            }
        }

        private Tensor TargetScores(int set, long item, Tensor[] outputs) => targets.Resolved![set][item].Scores(outputs);

        private Tensor Input => input;

        private int MaskBatchSize => explainer.ScoreCamBatchSize;

        private IProgress<(int Done, int Total)>? Progress => explainer.Progress;

        private Tensor[] ForwardNoGrad(Tensor x) => explainer.ForwardNoGrad(x);
    }
}
