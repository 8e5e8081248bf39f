using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests;

/// <summary>
/// ML.NET's ImageNet-trained ResNet18 featurizer (the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18: a CNTK
/// export at opset 8 with asymmetric pads, spatial BatchNormalization and its pixel-mean preprocessing model).
/// </summary>
public sealed class DnnFeaturizerOnnxTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "DnnImageModels");
    private static readonly string Preprocess = Path.Combine(Folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
    private static readonly string Network = Path.Combine(Folder, "ResNet18Onnx", "ResNet18.onnx");

    private static float[] Pixels()
    {
        // A smooth image in 0..255, as ML.NET's ExtractPixels gives it (R, G, B planes).
        var random = new Random(3);
        var pixels = new float[3 * 224 * 224];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 224; y++)
                for (int x = 0; x < 224; x++)
                    pixels[(c * 224 + y) * 224 + x] = (float)(127.5 + 100 * Math.Sin(x / (20.0 + 7 * c)) * Math.Cos(y / 31.0) + random.NextDouble() * 20 - 10);
        return pixels;
    }

    [Fact]
    public void Preprocessing_and_network_equal_OnnxRuntime()
    {
        var pixels = Pixels();
        var prep = OnnxRuntimeOracle.Run(Preprocess, new Dictionary<string, (float[], int[])> { ["OriginalInput"] = (pixels, [1, 3, 224, 224]) })[0];
        var features = OnnxRuntimeOracle.Run(Network, new Dictionary<string, (float[], int[])> { ["Input247"] = (prep.Values, [1, 3, 224, 224]) })[0];
        Assert.Equal([1, 512, 1, 1], features.Shape);

        using var prepGraph = OnnxModel.LoadGraph(Preprocess);
        using var network = OnnxModel.LoadGraph(Network);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ours = prepGraph.Run(torch.tensor(pixels, [1, 3, 224, 224]))[0];
        Assertions.Close(prep.Values, ours.data<float>().ToArray(), rel: 1e-5, what: "preprocessed pixels");
        var ourFeatures = network.Run(torch.tensor(prep.Values, [1, 3, 224, 224]))[0];
        Assertions.Close(features.Values, ourFeatures.data<float>().ToArray(), rel: 1e-4, what: "ResNet18 features");
    }

    [Fact]
    public void The_chain_is_one_classifier_whose_features_equal_OnnxRuntime_and_Eigen_CAM_runs_on_it()
    {
        var pixels = Pixels();
        var prep = OnnxRuntimeOracle.Run(Preprocess, new Dictionary<string, (float[], int[])> { ["OriginalInput"] = (pixels, [1, 3, 224, 224]) })[0];
        var features = OnnxRuntimeOracle.Run(Network, new Dictionary<string, (float[], int[])> { ["Input247"] = (prep.Values, [1, 3, 224, 224]) })[0];

        using var model = OnnxModel.LoadChain([Preprocess, Network], new OnnxImportOptions { Preprocessing = "raw" });
        Assert.Equal(512, model.Labels.Count);
        Assert.Equal("ReLU393", model.DefaultLayer);   // the last block's output, 7x7, before the 7x7 average pool
        Assert.Equal(255f, model.Input.Scale);
        using var x = torch.tensor(pixels, [1, 3, 224, 224]).div(255f);  // what ImagePreprocessor gives for "raw": [0, 1] scaled back
        using var input = model.Input.Standardise(x);
        using (torch.no_grad())
        using (var ours = model.Module.call(input))
            Assertions.Close(features.Values, ours.data<float>().ToArray(), rel: 1e-4, what: "chained features");

        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = CamMethod.EigenCam });
        var explanation = explainer.Explain(input)[0];
        Assert.Equal(7, explanation.Cam.Height);
        Assert.True(explanation.Heatmap.Data.All(float.IsFinite));
        Assert.Equal(1f, explanation.Heatmap.Data.Max(), 3);
    }
}
