using GradCam.Engine;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Engine;

/// <summary>
/// A CNN small enough to do Grad-CAM on paper. A 1x1 conv maps the one-channel input x to A^0 = x and A^1 = -x;
/// global average pooling and a linear layer W = [[2, 1], [0, 3]] give y^c = sum_k W[c,k] mean(A^k). Hence
/// dy^c/dA^k_ij = W[c,k] / (h w), a_k^c = W[c,k] / 4 and CAM^c = ReLU(sum_k a_k^c A^k).
/// With x = [[1, 2], [3, 4]]: y = (2.5, -7.5); CAM^0 = ReLU(x/2 - x/4) = x/4; CAM^1 = ReLU(-3x/4) = 0.
/// </summary>
public class HandComputedCamTests
{
    private static ImageClassifier Build() => HandNet.Build(bias: [0, 0], weights: [2, 1, 0, 3]);

    private static Tensor Input() => HandNet.Input();

    [Fact]
    public void TopClassCamIsAQuarterOfTheInput()
    {
        using var model = Build();
        using var explainer = new GradCamExplainer(model);
        using var x = Input();
        var e = explainer.Explain(x, topK: 2)[0];

        Assert.Equal(0, e.TargetClass);
        Assert.Equal("zero", e.TargetLabel);
        Assert.Equal(2.5f, e.TargetLogit, 5);
        Assert.Equal(new[] { 0.25f, 0.5f, 0.75f, 1f }, e.Cam.Data.Select(v => MathF.Round(v, 6)));
        // Upsampling 2x2 to the 2x2 input is the identity; min-max: (x - 1) / 3.
        Assertions.Close([0f, 1 / 3f, 2 / 3f, 1f], e.Heatmap.Data, 1e-6);
        // softmax(2.5, -7.5)
        float p0 = 1 / (1 + MathF.Exp(-10));
        Assert.Equal(p0, e.TopK[0].Probability, 6);
        Assert.Equal(1, e.TopK[1].Index);
        Assert.Equal((1, 1), e.Cam.Peak());
    }

    [Fact]
    public void ClassWithOnlyNegativeEvidenceHasAnEmptyMap()
    {
        using var model = Build();
        using var explainer = new GradCamExplainer(model);
        using var x = Input();
        var e = explainer.Explain(x, [1])[0];

        Assert.Equal(1, e.TargetClass);
        Assert.Equal(-7.5f, e.TargetLogit, 5);
        Assert.All(e.Cam.Data, v => Assert.Equal(0f, v));
        Assert.All(e.Heatmap.Data, v => Assert.Equal(0f, v)); // flat maps normalise to zeros, not NaN
    }

    [Fact]
    public void ReferenceImplementationAgreesOnTheHandCase()
    {
        using var model = Build();
        using var x = Input();
        var cams = ReferenceGradCam.Compute(model, "features", x, [0]);
        Assertions.Close([0.25f, 0.5f, 0.75f, 1f], cams[0].Data, 1e-6);
        // It restores the model: parameters frozen again, no gradients left behind.
        Assert.All(model.Module.parameters(), p => Assert.False(p.requires_grad));
    }
}
