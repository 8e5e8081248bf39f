using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Onnx;
using GradCam.OnnxRuntime;
using TorchSharp;
using Xunit;

namespace GradCam.OnnxRuntime.Tests;

/// <summary>The hybrid engine (ONNX Runtime up to the target layer, TorchSharp after) gives what the all-TorchSharp graph gives.</summary>
[Collection(TorchvisionOnnxCollection.Name)]
public sealed class HybridEngineTests(TorchvisionOnnxFixture fixture)
{
    private static readonly OnnxImportOptions Hybrid = new() { Prefix = OnnxRuntimePrefix.Instance };

    [Theory]
    [InlineData("resnet18", 13, null)]
    [InlineData("resnet18", 13, "/layer3/layer3.1/relu_1/Relu")]
    [InlineData("vgg16", 13, "/features/features.28/Conv")]
    [InlineData("mobilenet_v2", 13, null)]
    [InlineData("densenet121", 13, null)]
    [InlineData("shufflenet_v2_x1_0", 11, null)]   // a fixed batch of 1 in the file: ONNX Runtime takes the batch item by item
    [InlineData("googlenet", 11, "/inception4e/Concat,/inception5b/Concat")]
    public void Maps_and_probabilities_equal_the_TorchSharp_engine(string name, int opset, string? layers)
    {
        string path = fixture.Model(name, opset);
        var options = new ExplainerOptions { Layers = layers?.Split(',') ?? [] };
        using var x = torch.tensor(fixture.Input(name), [2, 3, 224, 224]);
        using var torchModel = OnnxModel.Load(path);
        using var hybridModel = OnnxModel.Load(path, Hybrid);
        using var expected = new GradCamExplainer(torchModel, options);
        using var actual = new GradCamExplainer(hybridModel, options);
        Assert.StartsWith("hybrid: ONNX Runtime up to ", actual.Engine);
        var a = expected.Explain(x);
        var b = actual.Explain(x);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(a[i].TargetClass, b[i].TargetClass);
            Assertions.Close(a[i].Probabilities, b[i].Probabilities, rel: 1e-4, what: $"{name} probabilities of item {i}");
            Assertions.Close(a[i].Cam.Data, b[i].Cam.Data, rel: 1e-4, what: $"{name} CAM of item {i}");
            Assertions.Close(a[i].Heatmap.Data, b[i].Heatmap.Data, rel: 1e-4, abs: 1e-4, what: $"{name} heatmap of item {i}");
        }
    }

    [Fact]
    public void Without_a_captured_layer_ONNX_Runtime_runs_the_whole_graph_with_the_same_output()
    {
        string path = fixture.Model("resnet18", 13);
        using var x = torch.tensor(fixture.Input("resnet18"), [2, 3, 224, 224]);
        using var torchModel = OnnxModel.Load(path);
        using var hybridModel = OnnxModel.Load(path, Hybrid);
        Assert.Equal("ONNX Runtime", ((OnnxGraph)hybridModel.Module).Engine);
        using var noGrad = torch.no_grad();
        using var a = torchModel.Module.call(x);
        using var b = hybridModel.Module.call(x);
        Assertions.Close(a.data<float>().ToArray(), b.data<float>().ToArray(), rel: 1e-4, what: "logits");
    }

    [Fact]
    public void Other_methods_work_and_guided_backpropagation_runs_in_TorchSharp_and_says_so()
    {
        string path = fixture.Model("resnet18", 13);
        using var x = torch.tensor(fixture.Input("resnet18")[..(3 * 224 * 224)], [1, 3, 224, 224]);
        using var torchModel = OnnxModel.Load(path);
        using var hybridModel = OnnxModel.Load(path, Hybrid);
        foreach (var method in new[] { CamMethod.GradCamPlusPlus, CamMethod.EigenCam, CamMethod.GuidedGradCam })
        {
            var options = new ExplainerOptions { Method = method };
            using var expected = new GradCamExplainer(torchModel, options);
            using var actual = new GradCamExplainer(hybridModel, options);
            if (method == CamMethod.GuidedGradCam) Assert.Contains("TorchSharp (the hybrid engine's ONNX Runtime part is off", actual.Engine);
            var a = expected.Explain(x)[0];
            var b = actual.Explain(x)[0];
            Assertions.Close(a.Heatmap.Data, b.Heatmap.Data, rel: 1e-4, abs: 1e-4, what: $"{method} heatmap");
        }
        using var after = new GradCamExplainer(hybridModel);
        Assert.StartsWith("hybrid:", after.Engine);  // the guided explainer was disposed: the hybrid engine is back
    }
}
