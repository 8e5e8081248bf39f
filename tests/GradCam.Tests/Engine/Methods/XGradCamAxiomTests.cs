using GradCam.Engine.Methods;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Tests.Engine.Methods;

/// <summary>
/// XGrad-CAM's two axioms (Fu et al., BMVC 2020), as properties of the engine's maps rather than its formula:
/// conservation, <c>sum_k w_k sum_xy A^k = S^c</c>, and sensitivity, <c>S^c(A) - S^c(A without channel k) = w_k sum_xy A^k</c>.
/// Both hold exactly when the network after the layer is linear; conservation still holds on a ReLU network without
/// biases (Euler's theorem for positively homogeneous functions). Grad-CAM's weights break them, which shows the test can
/// fail. The weights are read back from the method's own maps, channel by channel.
/// </summary>
public class XGradCamAxiomTests
{
    private const int Channels = 5, Size = 6, Classes = 3;

    /// <summary>A tail after the layer: a 3x3 convolution, optionally a ReLU, then a linear layer over every position (so the gradients vary over the image), no biases.</summary>
    private static Module<Tensor, Tensor> Tail(bool relu, long seed)
    {
        // A generator of the test's own: the global one is shared with the test classes running beside this one.
        var random = new Generator((ulong)seed);
        var conv = Conv2d(Channels, 4, 3, padding: 1, bias: false);
        var fc = Linear(4 * Size * Size, Classes, hasBias: false);
        using (torch.no_grad())
        {
            conv.weight!.copy_(torch.rand(conv.weight.shape, generator: random) - 0.5f);
            fc.weight!.copy_(torch.rand(fc.weight.shape, generator: random) - 0.5f);
        }
        return relu ? Sequential(conv, ReLU(), Flatten(), fc) : Sequential(conv, Flatten(), fc);
    }

    private static (Tensor A, Tensor G, double Score) Forward(Module<Tensor, Tensor> tail, Tensor a, int target)
    {
        var leaf = a.detach().requires_grad_(true);
        var score = tail.call(leaf)[0, target];
        var g = torch.autograd.grad([score], [leaf])[0];
        return (leaf.detach(), g.detach(), score.item<float>());
    }

    private static double Score(Module<Tensor, Tensor> tail, Tensor a, int target)
    {
        using var _ = torch.no_grad();
        return tail.call(a)[0, target].item<float>();
    }

    /// <summary>w_k from the method's map of channel k alone (w_k depends on that channel only): the map's sum over the positive and the negated gradients.</summary>
    private static double[] Weights(GradientWeightedMethod method, Tensor a, Tensor g)
    {
        var weights = new double[Channels];
        for (int k = 0; k < Channels; k++)
        {
            var only = torch.zeros_like(a);
            only[0, k] = a[0, k];
            double mass = a[0, k].sum().item<float>();
            double positive = method.Map(only, g).sum().item<float>(), negative = method.Map(only, -g).sum().item<float>();
            weights[k] = (positive - negative) / mass;
        }
        return weights;
    }

    private static Tensor Activations(long seed) =>
        torch.rand([1, Channels, Size, Size], generator: new Generator((ulong)seed + 100)) + 0.1f; // after a ReLU: positive, every channel with mass

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void OnALinearTailXGradCamIsConservativeAndSensitive(long seed)
    {
        using var scope = torch.NewDisposeScope();
        var tail = Tail(relu: false, seed);
        var (a, g, score) = Forward(tail, Activations(seed), target: (int)(seed % Classes));
        Assert.True(Math.Abs(score) > 0.05, $"a score of {score} conserves too easily");
        var w = Weights(new XGradCamMethod(), a, g);
        var mass = Enumerable.Range(0, Channels).Select(k => (double)a[0, k].sum().item<float>()).ToArray();
        Assert.Equal(score, w.Zip(mass, (x, m) => x * m).Sum(), 4);
        for (int k = 0; k < Channels; k++)
        {
            var without = a.clone();
            without[0, k] = torch.zeros(Size, Size);
            Assert.Equal(score - Score(tail, without, (int)(seed % Classes)), w[k] * mass[k], 4);
        }
        // Grad-CAM's weights (the mean gradient) break both: the axioms are what tells the methods apart.
        var wGradCam = Weights(new GradCamMethod(), a, g);
        double gradCamSum = wGradCam.Zip(mass, (x, m) => x * m).Sum();
        Assert.True(Math.Abs(score - gradCamSum) > 0.01 * Math.Abs(score), $"Grad-CAM conserved the score too ({gradCamSum} against {score}): the test says nothing");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void OnAReluTailWithoutBiasesXGradCamIsConservative(long seed)
    {
        using var scope = torch.NewDisposeScope();
        var tail = Tail(relu: true, seed);
        int target = (int)(seed % Classes);
        var (a, g, score) = Forward(tail, Activations(seed), target);
        Assert.True(Math.Abs(score) > 0.05, $"a score of {score} conserves too easily");
        var w = Weights(new XGradCamMethod(), a, g);
        var mass = Enumerable.Range(0, Channels).Select(k => (double)a[0, k].sum().item<float>()).ToArray();
        Assert.Equal(score, w.Zip(mass, (x, m) => x * m).Sum(), 4);
    }
}
