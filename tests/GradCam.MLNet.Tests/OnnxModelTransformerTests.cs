using GradCam.Models;
using GradCam.Imaging;
using GradCam.Onnx;
using Microsoft.ML;
using TorchSharp;
using Xunit;

namespace GradCam.MLNet.Tests;

/// <summary>The ML.NET transformer explaining an ONNX file: scores against ONNX Runtime, Save and Load.</summary>
public sealed class OnnxModelTransformerTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly SceneFolder _scenes = new(6);

    public void Dispose() => _scenes.Dispose();

    [Fact]
    public void Scores_are_the_onnx_models_own_and_survive_Save_and_Load()
    {
        var graph = OnnxTestGraph.TinyClassifier(final: "Softmax", classes: 3);
        string onnx = graph.Save(Path.Combine(_scenes.Dir, "tiny.onnx"));
        var paths = _ml.Data.LoadFromEnumerable(_scenes.Rows);
        var data = _ml.Transforms.LoadImages("Image", _scenes.Dir, "Path").Fit(paths).Transform(paths);
        var options = new GradCamOptions { Model = new ModelSpec(onnx) { Input = new InputOptions { Preprocessing = "none" }, Labels = ["a", "b", "c"] } };
        using var transformer = _ml.Transforms.GradCam(options).Fit(data);
        var rows = _ml.Data.CreateEnumerable<TinyPrediction>(transformer.Transform(data), reuseRowObject: false).ToArray();
        Assert.Equal(_scenes.Files.Count, rows.Length);

        for (int i = 0; i < rows.Length; i++)
        {
            using var image = ImagePreprocessor.Load(Path.Combine(_scenes.Dir, _scenes.Files[i]));
            using var input = ImagePreprocessor.ToTensor(image, transformer.Model.Input);
            var expected = OnnxRuntimeOracle.Run(onnx, new Dictionary<string, (float[], int[])> { ["input"] = (input.data<float>().ToArray(), [1, 3, 32, 32]) })[0].Values;
            Assertions.Close(expected, rows[i].Score, rel: 1e-5, what: $"scores of row {i}");
            Assert.Equal(new[] { "a", "b", "c" }[Array.IndexOf(expected, expected.Max())], rows[i].PredictedLabel);
            Assert.Equal(1f, rows[i].Heatmap.Max(), 4);
        }

        string saved = Path.Combine(_scenes.Dir, "explainer.zip");
        transformer.Save(saved);
        File.Delete(onnx);
        using var loaded = GradCamTransformer.Load(_ml, saved);
        var again = _ml.Data.CreateEnumerable<TinyPrediction>(loaded.Transform(data), reuseRowObject: false).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Score, again[i].Score);
            Assert.Equal(rows[i].Heatmap, again[i].Heatmap);
        }
    }
}
