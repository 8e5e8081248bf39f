using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Tests.Engine.Methods;

/// <summary>
/// Grad-CAM++ and LayerCAM on paper. A 1x1 conv maps the input x = [[1, 2], [3, 4]] to A^0 = x and A^1 = 5 - x
/// (both positive, each summing to 10); global average pooling and a linear layer with row W_0 = [2, -1] give
/// y^0 = 2 mean(A^0) - mean(A^1), so g^0 = dy^0/dA^0_ij = 1/2 and g^1 = -1/4 everywhere.
/// <list type="bullet">
/// <item>Grad-CAM: ReLU(x/2 - (5 - x)/4) = ReLU(3x/4 - 5/4) = [0, 1/4, 1, 7/4].</item>
/// <item>Grad-CAM++: alpha^0 = g^2 / (2 g^2 + 10 g^3) = (1/4) / (1/2 + 10/8) = 1/7, w_0 = 4 · 1/7 · ReLU(1/2) = 2/7;
///       w_1 = 0 (ReLU(-1/4) = 0). Map: 2x/7 = [2/7, 4/7, 6/7, 8/7].</item>
/// <item>LayerCAM: ReLU(ReLU(1/2) x + ReLU(-1/4)(5 - x)) = x/2 = [1/2, 1, 3/2, 2].</item>
/// </list>
/// </summary>
public class HandComputedMethodTests
{
    private static ImageClassifier Build() => HandNet.Build(bias: [0, 5], weights: [2, -1, 1, 3]);

    [Theory]
    [InlineData(CamMethod.GradCam, new[] { 0f, 0.25f, 1f, 1.75f })]
    [InlineData(CamMethod.GradCamPlusPlus, new[] { 2 / 7f, 4 / 7f, 6 / 7f, 8 / 7f })]
    [InlineData(CamMethod.LayerCam, new[] { 0.5f, 1f, 1.5f, 2f })]
    [InlineData(CamMethod.XGradCam, new[] { 0f, 0.25f, 1f, 1.75f })]  // constant gradients: XGrad-CAM's weights are Grad-CAM's
    [InlineData(CamMethod.HiResCam, new[] { 0f, 0.25f, 1f, 1.75f })]  // and so is HiResCAM's element-wise product
    public void MapsAreTheHandComputedOnes(CamMethod method, float[] expected)
    {
        using var model = Build();
        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = method });
        using var x = HandNet.Input();
        var e = explainer.Explain(x, [0])[0];
        Assert.Equal(2.5f, e.TargetLogit, 5);
        Assertions.Close(expected, e.Cam.Data, 1e-6, what: CamMethods.Get(method).Name);
    }
}
