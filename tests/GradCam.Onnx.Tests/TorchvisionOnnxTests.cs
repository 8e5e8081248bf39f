using GradCam.Engine;
using GradCam.Models;
using GradCam.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests;

/// <summary>
/// Whole torchvision networks exported by PyTorch: the imported model's logits against ONNX Runtime's, its Grad-CAM
/// against PyTorch's hook implementation on the original module, and for vgg16/resnet18 against the zoo.
/// </summary>
[Collection(TorchvisionOnnxCollection.Name)]
public sealed class TorchvisionOnnxTests(TorchvisionOnnxFixture fixture)
{
    public static TheoryData<string, int> Exports()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "vgg16", "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1",
                                     "densenet121", "efficientnet_b0", "googlenet", "shufflenet_v2_x1_0" })
            foreach (var opset in new[] { 11, 13 })
                data.Add(name, opset);
        return data;
    }

    [Theory]
    [MemberData(nameof(Exports))]
    public void Logits_equal_OnnxRuntime(string name, int opset)
    {
        string path = fixture.Model(name, opset);
        var input = fixture.Input(name);
        using var model = OnnxModel.Load(path);
        using var x = torch.tensor(input, [2, 3, 224, 224]);
        using var noGrad = torch.no_grad();
        using var logits = model.Module.call(x);   // a batch of 2, even for the fixed-batch opset-11 export
        Assert.Equal([2L, 1000L], logits.shape);
        var ours = logits.data<float>().ToArray();

        int per = 3 * 224 * 224;
        for (int i = 0; i < 2; i++)
        {
            var item = input.AsSpan(i * per, per).ToArray();
            var expected = OnnxRuntimeOracle.Run(path, new Dictionary<string, (float[], int[])> { ["input"] = (item, [1, 3, 224, 224]) })[0].Values;
            Assertions.Close(expected, ours.AsSpan(i * 1000, 1000).ToArray(), rel: 1e-4, what: $"{name} op{opset} logits of item {i}");
        }
    }

    [Theory]
    [InlineData("vgg16")]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v2")]
    [InlineData("mobilenet_v3_small")]
    [InlineData("squeezenet1_1")]
    [InlineData("densenet121")]
    [InlineData("efficientnet_b0")]
    [InlineData("googlenet")]
    [InlineData("shufflenet_v2_x1_0")]
    public void GradCam_equals_PyTorch_hooks_on_the_original_module(string name)
    {
        var reference = fixture.Reference(name);
        using var model = OnnxModel.Load(fixture.Model(name, 13));
        using var explainer = new GradCamExplainer(model, reference.GetProperty("onnxLayer").GetString());
        using var x = torch.tensor(fixture.Input(name), [2, 3, 224, 224]);
        var explanations = explainer.Explain(x);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(reference.GetProperty("targets")[i].GetInt32(), explanations[i].TargetClass);
            var cam = PyTorchFixture.Floats(reference.GetProperty("cams")[i]);
            Assertions.Close(cam, explanations[i].Cam.Data, rel: 1e-4, what: $"{name} CAM of item {i}");
        }
    }

    [Theory]
    [InlineData("vgg16", "/features/features.28/Conv_output_0")]
    [InlineData("resnet18", "/layer4/layer4.1/relu_1/Relu_output_0")]
    public void GradCam_equals_the_zoo_on_the_same_weights(string name, string layer)
    {
        using var imported = OnnxModel.Load(fixture.Model(name, 13));
        using var zoo = ModelZoo.Create(new ModelSpec(name) { WeightsPath = fixture.Weights(name) });
        using var x = torch.tensor(fixture.Input(name), [2, 3, 224, 224]);
        using var ours = new GradCamExplainer(imported, layer);
        using var theirs = new GradCamExplainer(zoo);
        var a = ours.Explain(x);
        var b = theirs.Explain(x);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(b[i].TargetClass, a[i].TargetClass);
            Assertions.Close(b[i].Cam.Data, a[i].Cam.Data, rel: 1e-5, what: $"{name} CAM of item {i}");
            Assertions.Close(b[i].Heatmap.Data, a[i].Heatmap.Data, rel: 1e-5, abs: 1e-5, what: $"{name} heatmap of item {i}");
        }
    }

    [Fact]
    public void Default_layer_is_the_last_feature_map()
    {
        using var resnet = OnnxModel.Load(fixture.Model("resnet18", 13));
        Assert.Equal("/layer4/layer4.1/relu_1/Relu", resnet.DefaultLayer);
        using var vgg = OnnxModel.Load(fixture.Model("vgg16", 11));
        Assert.Equal("/avgpool/AveragePool", vgg.DefaultLayer); // the adaptive pool, 7x7 like the last MaxPool
        Assert.Contains("/features/features.28/Conv", vgg.LayerNames());
    }
}
