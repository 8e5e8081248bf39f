using GradCam.Engine;
using GradCam.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests;

/// <summary>
/// torchvision's vit_b_16 and swin_t exported by PyTorch at opsets 14 and 17: the imported logits against ONNX Runtime's,
/// and Grad-CAM on token maps (ViT's class token dropped, Swin's channels-last blocks) against PyTorch hooks on the
/// original modules with the same reshape.
/// </summary>
[Collection(TransformerOnnxCollection.Name)]
public sealed class TransformerOnnxTests(TransformerOnnxFixture fixture)
{
    [Theory]
    [InlineData("vit_b_16", 14)]
    [InlineData("vit_b_16", 17)]
    [InlineData("swin_t", 14)]
    [InlineData("swin_t", 17)]
    public void Logits_equal_OnnxRuntime(string name, int opset)
    {
        string path = fixture.Model(name, opset);
        var input = fixture.Input(name);
        using var model = OnnxModel.Load(path);
        using var x = torch.tensor(input, [2, 3, 224, 224]);
        using var noGrad = torch.no_grad();
        using var logits = model.Module.call(x);
        Assert.Equal([2L, 1000L], logits.shape);
        var expected = OnnxRuntimeOracle.Run(path, new Dictionary<string, (float[], int[])> { ["input"] = (input, [2, 3, 224, 224]) })[0].Values;
        Assertions.Close(expected, logits.data<float>().ToArray(), rel: 1e-4, abs: 1e-4, what: $"{name} opset {opset} logits");
    }

    [Theory]
    [InlineData("vit_b_16", 14, "default")]
    [InlineData("vit_b_16", 17, "default")]
    [InlineData("swin_t", 14, "default")]
    [InlineData("swin_t", 17, "norm1")]
    public void GradCam_on_token_maps_equals_PyTorch_hooks(string name, int opset, string key)
    {
        var reference = fixture.Reference(name).GetProperty("layers").GetProperty(key);
        string node = reference.GetProperty("nodes").GetProperty(opset.ToString()).GetString()!;
        using var model = OnnxModel.Load(fixture.Model(name, opset));
        if (key == "default") Assert.Equal(node, model.DefaultLayer);
        using var explainer = new GradCamExplainer(model, node);
        using var x = torch.tensor(fixture.Input(name), [2, 3, 224, 224]);
        var explanations = explainer.Explain(x);
        var size = reference.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(reference.GetProperty("targets")[i].GetInt32(), explanations[i].TargetClass);
            Assert.Equal((size[0], size[1]), (explanations[i].Cam.Height, explanations[i].Cam.Width));
            var cam = PyTorchFixture.Floats(reference.GetProperty("cams")[i]);
            Assertions.Close(cam, explanations[i].Cam.Data, rel: 1e-4, abs: 1e-6 * cam.Max(), what: $"{name} op{opset} {key} CAM of item {i}");
        }
    }
}
