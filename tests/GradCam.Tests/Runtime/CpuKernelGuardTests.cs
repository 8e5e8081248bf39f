using GradCam.Runtime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Runtime;

/// <summary>
/// Convolution input gradients, which Guided Backpropagation needs through every layer, must be exact and repeatable.
/// Without <see cref="CpuKernelGuard"/> this machine's oneDNN AVX-512 kernels failed this test in most runs.
/// </summary>
public class CpuKernelGuardTests
{
    [Theory]
    [InlineData(3, 32)]
    [InlineData(16, 64)]
    [InlineData(3, 224)]
    public void ConvolutionInputGradientsEqualAnIm2colComputation(int channels, int size)
    {
        Assert.True(CpuKernelGuard.Applied || Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null);
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(5);
        var x = torch.randn([2, channels, size, size], generator: generator);
        var w = torch.randn([8, channels, 3, 3], generator: generator);
        var dy = torch.randn([2, 8, size, size], generator: generator);
        // dX = fold(W^T dY): the gradient of a stride-1 convolution, computed with a matrix product instead of a convolution kernel.
        var expected = nn.functional.fold(w.view(8, -1).t().matmul(dy.flatten(2)), (size, size), (3, 3), padding: (1, 1));
        for (int run = 0; run < 5; run++)
        {
            using var grad = torch.enable_grad();
            var leaf = x.detach().requires_grad_(true);
            var y = nn.functional.conv2d(leaf, w, padding: [1, 1]);
            var dx = torch.autograd.grad([(y * dy).sum()], [leaf])[0];
            double diff = (dx - expected).abs().max().item<float>();
            Assert.True(diff < 1e-3, $"run {run}: convolution input gradient off by {diff} ({channels} channels, {size}x{size})");
        }
    }
}
