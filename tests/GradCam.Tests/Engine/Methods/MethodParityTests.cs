using System.Text.Json;
using GradCam.Engine;
using GradCam.Engine.Methods;
using Xunit;

namespace GradCam.Tests.Engine.Methods;

/// <summary>
/// Every method against an independent PyTorch implementation written from its paper (Fixtures/make_method_fixtures.py:
/// hooks and a full backward per image, one forward per Score-CAM mask, a custom autograd ReLU for Guided Backprop,
/// numpy's SVD for Eigen-CAM), on the tiny nets and inputs of the Grad-CAM fixtures, to 1e-4: at the last ReLU
/// (activations >= 0) and at the last convolution's own, signed output, where the sums of A in the denominators and
/// Eigen-CAM's sign rule matter.
/// </summary>
public class MethodParityTests
{
    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var net in new[] { "tiny_vgg", "tiny_vgg_bn" })
            foreach (bool signed in new[] { false, true })
                foreach (var key in new[] { "gradcam", "gradcam++", "xgradcam", "hirescam", "layercam", "eigencam", "scorecam",
                                            "guided-backprop", "guided-gradcam", "gradcam-fused-mean", "gradcam-fused-max",
                                            "layercam-fused-mean", "gradcam-flip", "scorecam-flip" })
                    data.Add(net, key, signed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheIndependentReference(string net, string key, bool signed)
    {
        var fixture = PyTorchFixture.Load(net);
        var expected = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf($"{net}.methods.expected.json"))).RootElement;
        string layer = expected.GetProperty(signed ? "signedLayer" : "layer").GetString()!;
        var fused = expected.GetProperty(signed ? "signedFusedLayers" : "fusedLayers").EnumerateArray().Select(e => e.GetString()!).ToArray();

        var options = new ExplainerOptions { Layers = [layer] };
        string method = key;
        if (key.EndsWith("-fused-mean") || key.EndsWith("-fused-max"))
        {
            options.Layers = fused;
            options.Fusion = key.EndsWith("max") ? LayerFusion.Max : LayerFusion.Mean;
            method = key[..key.IndexOf("-fused", StringComparison.Ordinal)];
        }
        else if (key.EndsWith("-flip"))
        {
            options.FlipAveraging = true;
            method = key[..^"-flip".Length];
        }
        options.Method = CamMethods.Parse(method);

        using var model = fixture.Classifier();
        using var explainer = new GradCamExplainer(model, options);
        using var input = fixture.Input();
        var actual = explainer.Explain(input);
        var items = expected.GetProperty(signed ? "signedMethods" : "methods").GetProperty(key);
        Assert.Equal(items.GetArrayLength(), actual.Count);
        for (int i = 0; i < actual.Count; i++)
        {
            var e = items[i];
            Assert.Equal(e.GetProperty("target").GetInt32(), actual[i].TargetClass);
            Assert.Equal(options.Method, actual[i].Method);
            var shape = e.GetProperty("shape");
            Assert.Equal((shape[0].GetInt32(), shape[1].GetInt32()), (actual[i].Cam.Height, actual[i].Cam.Width));
            var cam = PyTorchFixture.Floats(e.GetProperty("cam"));
            Assert.Contains(cam, v => v > 0); // a map with evidence, so the comparison means something
            Assertions.Close(cam, actual[i].Cam.Data, 1e-4, what: $"{key} cam");
            Assertions.Close(PyTorchFixture.Floats(e.GetProperty("heatmap")), actual[i].Heatmap.Data, 1e-4, 1e-5, what: $"{key} heatmap");
        }
    }
}
