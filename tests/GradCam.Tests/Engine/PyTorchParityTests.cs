using GradCam.Engine;
using Xunit;

namespace GradCam.Tests.Engine;

/// <summary>Our Grad-CAM against the reference article's PyTorch code, run by python3-torch on the same net and input.</summary>
public class PyTorchParityTests
{
    [Theory]
    [InlineData("tiny_vgg", "zip.pth")]
    [InlineData("tiny_vgg", "legacy.pth")]
    [InlineData("tiny_vgg", "safetensors")]
    [InlineData("tiny_vgg_bn", "zip.pth")]
    [InlineData("tiny_vgg_bn", "legacy.pth")]
    [InlineData("tiny_vgg_bn", "safetensors")]
    public void LogitsAndCamsMatchPyTorch(string fixtureName, string weights)
    {
        var fixture = PyTorchFixture.Load(fixtureName);
        using var model = fixture.Classifier(weights);
        using var explainer = new GradCamExplainer(model, fixture.Layer);
        Assert.Equal(fixture.Layer, model.DefaultLayer);
        using var input = fixture.Input();

        using (var logits = explainer.Forward(input))
            Assertions.Close(fixture.Logits, logits.data<float>().ToArray(), 1e-4, what: "logits");

        var top1 = explainer.Explain(input);
        var fixedTarget = explainer.Explain(input, [fixture.FixedTarget, fixture.FixedTarget]);
        for (int i = 0; i < 2; i++)
        {
            var item = fixture.Item(i);
            Assert.Equal(item.GetProperty("top1").GetInt32(), top1[i].TargetClass);
            Check(item.GetProperty("top1Cam"), top1[i]);
            Check(item.GetProperty("fixedCam"), fixedTarget[i]);
        }
    }

    private static void Check(System.Text.Json.JsonElement expected, Explanation actual)
    {
        Assert.Equal(expected.GetProperty("target").GetInt32(), actual.TargetClass);
        var shape = expected.GetProperty("shape");
        Assert.Equal(shape[0].GetInt32(), actual.Cam.Height);
        Assert.Equal(shape[1].GetInt32(), actual.Cam.Width);
        var cam = PyTorchFixture.Floats(expected.GetProperty("cam"));
        Assert.Contains(cam, v => v > 0); // a CAM with evidence, so the comparison means something
        Assertions.Close(cam, actual.Cam.Data, 1e-4, what: "cam");
        Assertions.Close(PyTorchFixture.Floats(expected.GetProperty("heatmap")), actual.Heatmap.Data, 1e-4, 1e-5, what: "heatmap");
    }
}
