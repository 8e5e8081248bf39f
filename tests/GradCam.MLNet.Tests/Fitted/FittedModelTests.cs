using GradCam.Imaging;
using GradCam.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GradCam.MLNet.Tests.Fitted;

/// <summary>Generated scenes, shared by the fitted-model tests: 90 to train on, 45 held out.</summary>
public sealed class SceneSets : IDisposable
{
    internal ObjectScenes Train { get; } = new(90, seed: 1);
    internal ObjectScenes Test { get; } = new(45, seed: 2);

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>
/// ML.NET models trained the standard way (ResNet18 features + a linear trainer), explained with no re-description:
/// the reconstruction reproduces ML.NET's scores, and the heat points at the object.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FittedModelTests(SceneSets scenes, ITestOutputHelper output) : IClassFixture<SceneSets>
{
    private readonly MLContext _ml = new(seed: 7);

    private IEstimator<ITransformer> Featurizer() => ResNet18Chains.Featurizer(_ml);

    private ITransformer Train(string chain)
    {
        var data = _ml.Data.LoadFromEnumerable(scenes.Train.Rows);
        var pipeline = Featurizer();
        if (chain.Contains("minmax")) pipeline = pipeline.Append(_ml.Transforms.NormalizeMinMax("Features"));
        if (chain.Contains("meanvar")) pipeline = pipeline.Append(_ml.Transforms.NormalizeMeanVariance("Features"));
        var cached = pipeline.AppendCacheCheckpoint(_ml);
        var trainers = _ml.MulticlassClassification.Trainers;
        var binary = _ml.BinaryClassification.Trainers;
        IEstimator<ITransformer> model = chain.Split('+')[0] switch
        {
            "lbfgs-maxent" => cached.Append(_ml.Transforms.Conversion.MapValueToKey("Label")).Append(trainers.LbfgsMaximumEntropy("Label", "Features"))
                                    .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")),
            "sdca-maxent" => cached.Append(_ml.Transforms.Conversion.MapValueToKey("Label")).Append(trainers.SdcaMaximumEntropy("Label", "Features"))
                                   .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")),
            "sdca-noncalibrated" => cached.Append(_ml.Transforms.Conversion.MapValueToKey("Label")).Append(trainers.SdcaNonCalibrated("Label", "Features")),
            "lbfgs-logistic" => cached.Append(binary.LbfgsLogisticRegression("IsDisc", "Features")),
            "sdca-logistic" => cached.Append(binary.SdcaLogisticRegression("IsDisc", "Features")),
            _ => throw new ArgumentException(chain),
        };
        return model.Fit(data);
    }

    [Theory]
    [InlineData("lbfgs-maxent")]
    [InlineData("sdca-maxent+minmax")]
    [InlineData("sdca-noncalibrated+meanvar")]
    [InlineData("lbfgs-logistic")]
    [InlineData("sdca-logistic+minmax")]
    public void The_explainer_reproduces_the_models_scores_and_its_heat_points_at_the_object(string chain)
    {
        var trained = Train(chain);
        var test = _ml.Data.LoadFromEnumerable(scenes.Test.Rows);
        using var explainer = _ml.Transforms.GradCam(trained).Fit(test);
        var explained = explainer.Transform(test);
        var own = trained.Transform(test);

        // Every column of the fitted model is there, as ML.NET computes it.
        foreach (var column in own.Schema) Assert.NotNull(explained.Schema.GetColumnOrNull(column.Name));
        bool binary = chain.Contains("logistic");
        var mlScores = Scores(own, binary);
        Assert.Equal(mlScores, Scores(explained, binary));

        // The reconstructed network (ResNet18 + head) gives ML.NET's scores, row by row.
        var pixels = explained.GetColumn<VBuffer<float>>(explainer.Options.InputColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        using (torch.NewDisposeScope())
        {
            var logits = explainer.Explainer.Forward(torch.stack(pixels.Select(p => torch.tensor(p, [3, 224, 224])).ToArray()));
            var ours = binary ? (logits[.., 1] - logits[.., 0]).unsqueeze(1)
                : chain.StartsWith("sdca-noncalibrated") ? logits : nn.functional.softmax(logits, 1);
            var flat = ours.data<float>().ToArray();
            int width = mlScores[0].Length;
            for (int r = 0; r < pixels.Length; r++)
                Assertions.Close(mlScores[r], flat.AsSpan(r * width, width).ToArray(), rel: 1e-4, abs: 1e-4, what: $"{chain} scores of row {r}");
        }

        // The explained class is ML.NET's prediction on every row.
        var targets = explained.GetColumn<int>("TargetClass").ToArray();
        var predicted = binary
            ? explained.GetColumn<bool>("PredictedLabel").Select(p => p ? 1 : 0).ToArray()
            : chain.StartsWith("sdca-noncalibrated")
                ? explained.GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray()
                : explained.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(l => explainer.Model.Labels.ToList().IndexOf(l.ToString())).ToArray();
        Assert.Equal(predicted, targets);

        // The pointing game: the heat's peak on the object (15 px at 224, the usual tolerance), in >= 85 % of the images.
        var heatmaps = explained.GetColumn<VBuffer<float>>("Heatmap").Select(v => v.DenseValues().ToArray()).ToArray();
        int hits = 0;
        for (int i = 0; i < heatmaps.Length; i++)
        {
            var box = scenes.Test.Boxes[i];
            if (PointingGame.Hit(new GradCam.Engine.CamMap(224, 224, heatmaps[i]), [new PixelBox(box.X, box.Y, box.Width, box.Height)], 224, 224)) hits++;
        }
        double rate = (double)hits / heatmaps.Length;
        output.WriteLine($"{chain}: pointing game {hits}/{heatmaps.Length} = {rate:P1}");
        Assert.True(rate >= 0.85, $"{chain}: the heat's peak is on the object in {rate:P1} of the held-out images");
        Assert.All(explained.GetColumn<ReadOnlyMemory<char>>("GradCamError"), e => Assert.Equal("", e.ToString()));
    }

    [Fact]
    public void Grad_CAM_of_the_reconstruction_equals_PyTorch_on_the_same_network_and_head()
    {
        var trained = Train("lbfgs-maxent+minmax");
        var test = _ml.Data.LoadFromEnumerable(scenes.Test.Rows.Take(4));
        using var explainer = _ml.Transforms.GradCam(trained).Fit(test);
        string dir = Path.Combine(scenes.Test.Dir, "pytorch");
        Directory.CreateDirectory(dir);
        string onnx = Path.Combine(dir, "reconstruction.onnx");
        using (var file = File.Create(onnx)) ((GradCam.Onnx.OnnxGraph)explainer.Model.Module).WriteOnnx(file);
        var pixels = explainer.Transform(test).GetColumn<VBuffer<float>>(explainer.Options.InputColumnName).SelectMany(v => v.DenseValues()).ToArray();
        string input = Path.Combine(dir, "input.bin");
        File.WriteAllBytes(input, pixels.SelectMany(BitConverter.GetBytes).ToArray());
        string layer = explainer.Model.DefaultLayer;   // ReLU393: its output tensor is ReLU393_Output_0
        string output = Path.Combine(dir, "reference.json");
        PythonScript.Run("gradcam_of_onnx_graph.py", onnx, input, "4", "ReLU393_Output_0", output);

        var reference = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output)).RootElement;
        using var x = torch.tensor(pixels, [4, 3, 224, 224]);
        var ours = explainer.Explainer.Explain(x);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(reference[i].GetProperty("target").GetInt32(), ours[i].TargetClass);
            Assertions.Close(PyTorchFixture.Floats(reference[i].GetProperty("scores")), LogitsOf(explainer, x, i), rel: 1e-4, what: $"logits of image {i}");
            Assertions.Close(PyTorchFixture.Floats(reference[i].GetProperty("cam")), ours[i].Cam.Data, rel: 1e-4, what: $"CAM of image {i} at {layer}");
        }
    }

    private static float[] LogitsOf(GradCamTransformer explainer, Tensor x, int i)
    {
        using var logits = explainer.Explainer.Forward(x.narrow(0, i, 1));
        return logits.data<float>().ToArray();
    }

    private static float[][] Scores(IDataView view, bool binary) => binary
        ? view.GetColumn<float>("Score").Select(s => new[] { s }).ToArray()
        : view.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
}

/// <summary>A saved ML.NET model file explains images directly, with the model's own scores.</summary>
[Collection(SerialCollection.Name)]
public sealed class FittedModelFileTests(SceneSets scenes) : IClassFixture<SceneSets>
{
    [Fact]
    public void A_saved_model_explains_images_with_the_scores_ML_NET_gives_them()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(scenes.Train.Rows.Take(30));
        var trained = ResNet18Chains.LbfgsMaximumEntropy(ml, Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind.Fill).Fit(data);
        string path = Path.Combine(scenes.Test.Dir, "model.zip");
        ml.Model.Save(trained, data.Schema, path);
        Assert.True(FittedModelFile.IsFittedModel(path));

        using var model = FittedModelFile.Load(path);
        Assert.Equal(ObjectScenes.Classes, model.Labels);
        Assert.Equal(255f, model.Input.Scale);
        using var explainer = new GradCam.Engine.GradCamExplainer(model);
        var test = ml.Data.LoadFromEnumerable(scenes.Test.Rows.Take(6));
        var mlScores = trained.Transform(test).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        for (int i = 0; i < mlScores.Length; i++)
        {
            using var image = GradCam.Imaging.ImagePreprocessor.Load(scenes.Test.Rows[i].ImagePath);
            var e = explainer.Explain(image);
            Assertions.Close(mlScores[i], e.Probabilities, rel: 1e-4, abs: 1e-5, what: $"scores of image {i}");
        }

        // The command line takes the file as any model.
        var cropping = ResNet18Chains.Featurizer(ml).Fit(data);
        string cropped = Path.Combine(scenes.Test.Dir, "cropping.zip");
        ml.Model.Save(cropping, data.Schema, cropped);
        var error = Assert.Throws<NotSupportedException>(() => FittedModelFile.Load(cropped));
        Assert.Contains("crops or pads to keep the aspect ratio", error.Message);
    }
}
