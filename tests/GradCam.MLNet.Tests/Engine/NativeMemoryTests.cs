using System.Diagnostics;
using GradCam.Engine;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.MLNet.Tests.Engine;

/// <summary>Thousands of explains must not grow native memory: every call frees what it allocated.</summary>
[Collection(SerialCollection.Name)]
public class NativeMemoryTests
{
    [Fact]
    public void ThousandsOfExplainsLeaveNoTensorsAndNoNativeGrowth()
    {
        var fixture = PyTorchFixture.Load("tiny_vgg_bn");
        using var model = fixture.Classifier();
        using var explainer = new GradCamExplainer(model);
        using var input = torch.randn(4, 3, 32, 32);

        for (int i = 0; i < 200; i++) explainer.Explain(input); // warm up allocator caches
        Settle();
        long tensorsBefore = Tensor.TotalCount;
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;

        for (int i = 0; i < 3000; i++) explainer.Explain(input, [i % 5, null, 2, null]);
        Settle();
        long tensorsAfter = Tensor.TotalCount;
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;

        Assert.Equal(tensorsBefore, tensorsAfter);
        // 3000 calls x (input copies, activations, gradients, maps) would be hundreds of MB if anything leaked.
        Assert.True(rssAfter - rssBefore < 32L << 20, $"resident memory grew by {(rssAfter - rssBefore) >> 20} MB over 3000 explains");
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
