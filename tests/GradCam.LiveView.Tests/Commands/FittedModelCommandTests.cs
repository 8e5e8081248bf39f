using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary><c>--model model.zip</c>: a saved ML.NET model (here an ApplyOnnxModel chain) explained from its file by the app.</summary>
public sealed class FittedModelCommandTests : IDisposable
{
    private readonly TestImages _images = new();

    public void Dispose() => _images.Dispose();

    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }

    [Fact]
    public void Explain_takes_a_saved_ML_NET_model_and_agrees_with_its_scores()
    {
        string onnx = OnnxTestGraph.TinyClassifier(final: "Softmax", classes: 3, size: 32).Save(_images.PathOf("tiny.onnx"));
        string image = _images.Shapes("scene.png", 32, 32);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new ImageRow { ImagePath = image }]);
        var trained = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 32, 32, resizing: ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("input", "Image", scaleImage: 1f / 255))
            .Append(ml.Transforms.ApplyOnnxModel("scores", "input", onnx))
            .Fit(data);
        string model = _images.PathOf("model.zip");
        ml.Model.Save(trained, data.Schema, model);
        var scores = trained.Transform(data).GetColumn<VBuffer<float>>("scores").Select(v => v.DenseValues().ToArray()).Single();

        string json = _images.PathOf("out.json");
        var r = GradcamProcess.Run("explain", image, "--model", model, "--json", json, "--out", _images.PathOf("out"), "--top", "3");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = doc.RootElement.GetProperty("results")[0];
        Assert.Equal(Array.IndexOf(scores, scores.Max()), result.GetProperty("target").GetInt32());
        foreach (var top in result.GetProperty("topK").EnumerateArray())
            Assert.Equal(scores[top.GetProperty("index").GetInt32()], top.GetProperty("probability").GetSingle(), 4);
    }
}
