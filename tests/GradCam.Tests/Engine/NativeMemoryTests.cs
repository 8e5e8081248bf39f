using System.Diagnostics;
using GradCam.Engine;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Engine;

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

        // Resident memory steps up over the first few hundred calls (allocator arenas and caches warming, more on a
        // machine whose memory the host reclaims), then stays flat: the growth that would reveal a leak is the
        // second half's. 1500 calls x (input copies, activations, gradients, maps) would be hundreds of MB if anything leaked.
        for (int i = 0; i < 1500; i++) explainer.Explain(input, [i % 5, null, 2, null]);
        Settle();
        long rssHalf = Process.GetCurrentProcess().WorkingSet64;
        for (int i = 0; i < 1500; i++) explainer.Explain(input, [i % 5, null, 2, null]);
        Settle();
        long tensorsAfter = Tensor.TotalCount;
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;

        Assert.Equal(tensorsBefore, tensorsAfter);
        Assert.True(rssAfter - rssHalf < 16L << 20, $"resident memory grew by {(rssAfter - rssHalf) >> 20} MB over the second 1500 explains");
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
