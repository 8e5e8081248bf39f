using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Xunit;

namespace GradCam.MLNet.Tests.Fitted;

/// <summary>The fitted-model explainer's contract on small, fast models: ApplyOnnxModel chains, targets, errors, Save/Load, PredictionEngine.</summary>
public sealed class FittedModelContractTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 3);
    private readonly ObjectScenes _scenes = new(9, seed: 5);

    public void Dispose() => _scenes.Dispose();

    private (ITransformer Trained, IDataView Data, string Onnx) ApplyOnnxChain(string? final)
    {
        string onnx = OnnxTestGraph.TinyClassifier(final: final, classes: 3, size: 32).Save(Path.Combine(_scenes.Dir, $"tiny-{final ?? "plain"}.onnx"));
        var data = _ml.Data.LoadFromEnumerable(_scenes.Rows);
        var pipeline = _ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(_ml.Transforms.ResizeImages("Image", 32, 32))
            .Append(_ml.Transforms.ExtractPixels("input", "Image", scaleImage: 1f / 255))
            .Append(_ml.Transforms.ApplyOnnxModel("scores", "input", onnx));
        return (pipeline.Fit(data), data, onnx);
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData(null)]
    public void ApplyOnnxModel_chains_are_explained_and_their_scores_reproduced(string? final)
    {
        var (trained, data, onnx) = ApplyOnnxChain(final);
        using var explainer = _ml.Transforms.GradCam(trained, new FittedModelOptions { HeatmapResolution = HeatmapResolution.Layer }).Fit(data);
        Assert.Equal(final is not null, explainer.Model.ExplainsSoftmaxInput);
        var explained = explainer.Transform(data);
        var scores = explained.GetColumn<VBuffer<float>>("scores").Select(v => v.DenseValues().ToArray()).ToArray();
        var targets = explained.GetColumn<int>("TargetClass").ToArray();
        var heatmaps = explained.GetColumn<VBuffer<float>>("Heatmap").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal(_scenes.Rows.Count, scores.Length);
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal(Array.IndexOf(scores[i], scores[i].Max()), targets[i]);   // the model's top class
            Assert.Equal(16 * 16, heatmaps[i].Length);                             // relu2's resolution
        }
        // ONNX Runtime itself, through ML.NET, is what the check at Fit compared with; the heatmap is the engine's on the same pixels.
        var pixels = explained.GetColumn<VBuffer<float>>("input").First().DenseValues().ToArray();
        using var x = torch.tensor(pixels, [1, 3, 32, 32]);
        var direct = explainer.Explainer.Explain(x)[0];
        Assertions.Close(direct.Cam.MinMaxNormalized().Data, heatmaps[0], rel: 1e-5, what: "heatmap");
    }

    [Fact]
    public void A_fixed_target_by_label_or_index_and_an_unknown_one()
    {
        var (trained, data, _) = ApplyOnnxChain("Softmax");
        using var byIndex = _ml.Transforms.GradCam(trained, new FittedModelOptions { Target = 2 }).Fit(data);
        Assert.All(byIndex.Transform(data).GetColumn<int>("TargetClass"), t => Assert.Equal(2, t));
        using var byLabel = _ml.Transforms.GradCam(trained, new FittedModelOptions { Target = "class 1" }).Fit(data);
        Assert.All(byLabel.Transform(data).GetColumn<int>("TargetClass"), t => Assert.Equal(1, t));
        var e = Assert.Throws<ArgumentException>(() => _ml.Transforms.GradCam(trained, new FittedModelOptions { Target = "cat" }).Fit(data));
        Assert.Equal("target 'cat' is not a class of the fitted model; its 3 classes are class 0, class 1, class 2", e.Message);
    }

    [Fact]
    public void Steps_that_cannot_be_differentiated_are_named()
    {
        var data = _ml.Data.LoadFromEnumerable(_scenes.Rows);
        var noNetwork = _ml.Transforms.Conversion.MapValueToKey("Label").Append(_ml.Transforms.CopyColumns("Copy", "Label")).Fit(data);
        var e = Assert.Throws<NotSupportedException>(() => _ml.Transforms.GradCam(noNetwork).Fit(data));
        Assert.Contains("the model has no ONNX network to explain", e.Message);

        var (onnxChain, _, _) = ApplyOnnxChain(null);
        var afterwards = onnxChain.Append(_ml.Transforms.Concatenate("Both", "scores", "scores").Fit(onnxChain.Transform(data)));
        var step = Assert.Throws<NotSupportedException>(() => _ml.Transforms.GradCam(afterwards).Fit(data));
        Assert.StartsWith("step 5 (ColumnConcatenatingTransformer) cannot be differentiated by GradCam; GradCam differentiates DnnFeaturizeImage or ApplyOnnxModel networks", step.Message);
    }

    [Fact]
    public void Save_Load_and_PredictionEngine_give_the_same_explanations()
    {
        var (trained, data, onnx) = ApplyOnnxChain("Softmax");
        using var explainer = _ml.Transforms.GradCam(trained).Fit(data);
        var expected = explainer.Transform(data).GetColumn<VBuffer<float>>("Heatmap").Select(v => v.DenseValues().ToArray()).ToArray();

        string saved = Path.Combine(_scenes.Dir, "explainer.zip");
        explainer.Save(saved);
        using var loaded = GradCamTransformer.Load(_ml, saved);
        Assert.NotNull(loaded.Trained);
        var again = loaded.Transform(data).GetColumn<VBuffer<float>>("Heatmap").Select(v => v.DenseValues().ToArray()).ToArray();
        for (int i = 0; i < expected.Length; i++) Assertions.Close(expected[i], again[i], rel: 1e-5, abs: 1e-6, what: $"loaded heatmap of row {i}");

        var engine = _ml.Model.CreatePredictionEngine<SceneRow, HeatmapOnly>(explainer);
        var one = engine.Predict(_scenes.Rows[0]);
        Assertions.Close(expected[0], one.Heatmap, rel: 1e-5, abs: 1e-6, what: "PredictionEngine heatmap");
        Assert.Equal(3, one.Scores.Length);
    }

    [Fact]
    public void A_missing_featurizer_file_is_a_clear_error()
    {
        // DnnFeaturizeImage with the models in a folder of our own, then that folder's network removed.
        string models = Path.Combine(_scenes.Dir, "models");
        CopyFolder(Path.Combine(AppContext.BaseDirectory, "DnnImageModels"), models);
        var data = _ml.Data.LoadFromEnumerable(_scenes.Rows);
        var trained = _ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(_ml.Transforms.ResizeImages("Image", 224, 224))
            .Append(_ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(_ml.Transforms.DnnFeaturizeImage("Features", m => m.ModelSelector.ResNet18(_ml, m.OutputColumn, m.InputColumn, models), "Pixels"))
            .Fit(data);
        File.Delete(Path.Combine(models, "ResNet18Onnx", "ResNet18.onnx"));
        var e = Assert.Throws<FileNotFoundException>(() => _ml.Transforms.GradCam(trained).Fit(data));
        Assert.Contains("ResNet18.onnx' is missing", e.Message);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public sealed class HeatmapOnly
    {
        [VectorType(32, 32)]
        public float[] Heatmap { get; set; } = [];

        [ColumnName("scores")]
        public float[] Scores { get; set; } = [];
    }
}
