using GradCam.Engine;
using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Testing;

/// <summary>
/// Grad-CAM the textbook way, as the reference article and most Python code do it: parameters require gradients,
/// a hook keeps the layer's output and its gradient (<c>retain_grad</c>), a full <c>backward()</c> runs, and the CAM
/// is computed element by element in managed code. It is deliberately independent of <see cref="GradCamExplainer"/>
/// and serves as its cross-check in tests and as the cost baseline in benchmarks. Do not use it for real work.
/// </summary>
public static class ReferenceGradCam
{
    /// <summary>Computes raw CAMs (layer resolution, after ReLU) for a batch with per-item targets.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="layer">The dotted target layer name.</param>
    /// <param name="input">Normalised images <c>[N, 3, H, W]</c>.</param>
    /// <param name="targets">One class index per item.</param>
    /// <returns>One CAM per item.</returns>
    public static IReadOnlyList<CamMap> Compute(ImageClassifier model, string layer, Tensor input, IReadOnlyList<int> targets)
    {
        var parameters = model.Module.parameters().ToList();
        using var scope = torch.NewDisposeScope();
        Tensor? activation = null;
        var hook = model.FindLayer(layer).register_forward_hook((m, i, output) =>
        {
            var alias = output.alias();
            activation = scope.Contains(alias) ? alias : alias.MoveToOtherDisposeScope(scope); // TorchSharp 0.107: never move into its own scope
            activation.retain_grad();
            return output;
        });
        try
        {
            foreach (var p in parameters) p.requires_grad = true;
            using var grad = torch.enable_grad();
            var logits = model.Module.call(input.to(model.Device));
            var score = torch.zeros(1, device: logits.device);
            for (int i = 0; i < targets.Count; i++) score = score + logits[i, targets[i]];
            score.backward();

            var a = activation ?? throw new InvalidOperationException($"layer '{layer}' did not run");
            var g = a.grad ?? throw new InvalidOperationException("no gradient reached the layer");
            return Cams(a.detach().cpu().data<float>().ToArray(), g.cpu().data<float>().ToArray(), a.shape);
        }
        finally
        {
            hook.remove();
            foreach (var p in parameters)
            {
                p.requires_grad = false;
                p.grad?.Dispose();
            }
            model.Module.zero_grad();
        }
    }

    private static IReadOnlyList<CamMap> Cams(float[] activations, float[] gradients, long[] shape)
    {
        int n = (int)shape[0], k = (int)shape[1], h = (int)shape[2], w = (int)shape[3], hw = h * w;
        var cams = new CamMap[n];
        for (int item = 0; item < n; item++)
        {
            var cam = new double[hw];
            for (int c = 0; c < k; c++)
            {
                int offset = (item * k + c) * hw;
                double mean = 0;
                for (int j = 0; j < hw; j++) mean += gradients[offset + j];
                mean /= hw;
                for (int j = 0; j < hw; j++) cam[j] += mean * activations[offset + j];
            }
            cams[item] = new CamMap(h, w, cam.Select(v => (float)Math.Max(v, 0)).ToArray());
        }
        return cams;
    }
}
