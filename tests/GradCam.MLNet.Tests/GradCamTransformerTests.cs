using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Models;
using GradCam.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Xunit;

namespace GradCam.MLNet.Tests;

/// <summary>Real ML.NET pipelines around the Grad-CAM transformer; results must equal the engine's.</summary>
public class GradCamTransformerTests : IDisposable
{
    private readonly MLContext _ml = new(seed: 1);
    private readonly ImageClassifier _model = PyTorchFixture.Load("tiny_vgg_bn").Classifier();
    private readonly SceneFolder _scenes = new(10);

    public void Dispose()
    {
        _scenes.Dispose();
        _model.Dispose();
    }

    private GradCamOptions Options(Action<GradCamOptions>? configure = null)
    {
        var o = new GradCamOptions { Classifier = _model, BatchSize = 4 };
        configure?.Invoke(o);
        return o;
    }

    private IDataView LoadedImages(SceneFolder? scenes = null)
    {
        scenes ??= _scenes;
        var paths = _ml.Data.LoadFromEnumerable(scenes.Rows);
        return _ml.Transforms.LoadImages("Image", scenes.Dir, "Path").Fit(paths).Transform(paths);
    }

    private Explanation[] EngineExplanations(IReadOnlyList<int?>? targets = null)
    {
        using var explainer = new GradCamExplainer(_model);
        return _scenes.Files.Select((f, i) =>
        {
            using var image = ImagePreprocessor.Load(Path.Combine(_scenes.Dir, f));
            using var input = ImagePreprocessor.ToTensor(image, _model.Input);
            using var batch = input.unsqueeze(0);
            return explainer.Explain(batch, [targets?[i]], 1)[0];
        }).ToArray();
    }

    private static void AssertEqual(Explanation expected, TinyPrediction actual, string what)
    {
        Assert.Equal("", actual.GradCamError);
        Assert.Equal(expected.TargetClass, actual.TargetClass);
        Assert.Equal(expected.TopK[0].Label, actual.PredictedLabel);
        Assertions.Close(expected.Probabilities, actual.Score, 1e-5, what: $"{what} score");
        Assertions.Close(expected.Heatmap.Data, actual.Heatmap, 1e-5, 1e-6, what: $"{what} heatmap");
    }

    [Fact]
    public void LoadImagesResizeImagesThenGradCamEqualsTheEngine()
    {
        var data = LoadedImages();
        var pipeline = _ml.Transforms.ResizeImages("Image", 32, 32, "Image")
            .Append(_ml.Transforms.GradCam(Options()));
        using var transformer = pipeline.Fit(data).LastTransformer;
        var output = pipeline.Fit(data).Transform(data);

        var schema = output.Schema;
        Assert.Equal(TextDataViewType.Instance, schema["PredictedLabel"].Type);
        var heatType = Assert.IsType<VectorDataViewType>(schema["Heatmap"].Type);
        Assert.Equal([32, 32], heatType.Dimensions.ToArray());
        Assert.Equal(NumberDataViewType.Int32, schema["TargetClass"].Type);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        schema["Score"].GetSlotNames(ref slots);
        Assert.Equal(_model.Labels, slots.DenseValues().Select(s => s.ToString()));
        Assert.True(schema.GetColumnOrNull("Path").HasValue); // input columns pass through

        var predictions = _ml.Data.CreateEnumerable<TinyPrediction>(output, reuseRowObject: false).ToArray();
        var expected = EngineExplanations();
        Assert.Equal(expected.Length, predictions.Length);
        for (int i = 0; i < expected.Length; i++) AssertEqual(expected[i], predictions[i], $"row {i}");
        Assert.All(predictions, p => Assert.InRange(p.Heatmap.Max(), 0.999f, 1f));
    }

    [Fact]
    public void ExtractPixelsVectorsGiveTheSameResultsAsImages()
    {
        var data = LoadedImages();
        // ExtractPixels needs a known-size image column: ResizeImages to the size the scenes already have.
        data = _ml.Transforms.ResizeImages("Image", 32, 32).Fit(data).Transform(data);
        var fromPixels = _ml.Transforms.ExtractPixels("Pixels", "Image")
            .Append(_ml.Transforms.GradCam(Options(o => o.InputColumnName = "Pixels")))
            .Fit(data).Transform(data);
        var pixelType = (VectorDataViewType)fromPixels.Schema["Pixels"].Type;
        Assert.Equal(3 * 32 * 32, pixelType.Size);
        var viaPixels = _ml.Data.CreateEnumerable<TinyPrediction>(fromPixels, false).ToArray();
        var expected = EngineExplanations();
        for (int i = 0; i < expected.Length; i++) AssertEqual(expected[i], viaPixels[i], $"row {i}");

        // BGR planes scaled to [0, 1], declared as such, give the same results again.
        var bgr = _ml.Transforms.ExtractPixels("Pixels", "Image", orderOfExtraction: ImagePixelExtractingEstimator.ColorsOrder.ABGR, scaleImage: 1f / 255)
            .Append(_ml.Transforms.GradCam(Options(o => { o.InputColumnName = "Pixels"; o.VectorChannelOrder = PixelChannelOrder.Bgr; o.VectorScale = 1f; })))
            .Fit(data).Transform(data);
        var viaBgr = _ml.Data.CreateEnumerable<TinyPrediction>(bgr, false).ToArray();
        for (int i = 0; i < expected.Length; i++) AssertEqual(expected[i], viaBgr[i], $"bgr row {i}");
    }

    [Fact]
    public void InMemoryMLImagesWork()
    {
        var rows = Enumerable.Range(0, 10).Select(i =>
        {
            using var mat = SceneFolder.Draw(i, 32);
            return new InMemoryImage { Image = mat.ToMLImage() };
        }).ToArray();
        var data = _ml.Data.LoadFromEnumerable(rows);
        var output = _ml.Transforms.GradCam(Options()).Fit(data).Transform(data);
        var predictions = _ml.Data.CreateEnumerable<TinyPrediction>(output, false).ToArray();
        var expected = EngineExplanations();
        for (int i = 0; i < expected.Length; i++) AssertEqual(expected[i], predictions[i], $"row {i}");
    }

    [Fact]
    public void PredictionEngineExplainsOneImageAtATime()
    {
        var data = _ml.Data.LoadFromEnumerable(Array.Empty<InMemoryImage>());
        var transformer = _ml.Transforms.GradCam(Options(o => o.Target = 0)).Fit(data);
        var expected = EngineExplanations(Enumerable.Repeat<int?>(0, 10).ToArray());
        using (var engine = _ml.Model.CreatePredictionEngine<InMemoryImage, TinyPrediction>(transformer, new PredictionEngineOptions { OwnsTransformer = true }))
        {
            for (int i = 0; i < 3; i++)
            {
                using var mat = SceneFolder.Draw(i, 32);
                var prediction = engine.Predict(new InMemoryImage { Image = mat.ToMLImage() });
                AssertEqual(expected[i], prediction, $"prediction {i}");
                Assert.Equal(0, prediction.TargetClass);
            }
        }
        // The engine owned the transformer: disposing it freed the model's hook and made the transformer unusable.
        Assert.Throws<ObjectDisposedException>(() => transformer.GetOutputSchema(data.Schema));
    }

    [Fact]
    public void Resnet18PredictionEngineFillsA224x224HeatmapProperty()
    {
        var data = _ml.Data.LoadFromEnumerable(Array.Empty<Input224>());
        using var transformer = _ml.Transforms.GradCam(new GradCamOptions { Model = new ModelSpec("resnet18") { RandomWeights = true } }).Fit(data);
        using var engine = _ml.Model.CreatePredictionEngine<Input224, Prediction224>(transformer, new PredictionEngineOptions { OwnsTransformer = false });
        using var mat = SceneFolder.Draw(3, 224);
        var p = engine.Predict(new Input224 { Image = mat.ToMLImage() });
        Assert.Equal(224 * 224, p.Heatmap.Length);
        Assert.Equal(1000, p.Score.Length);
        Assert.Equal(1f, p.Heatmap.Max(), 5);
        Assert.False(string.IsNullOrEmpty(p.PredictedLabel));
    }

    public sealed class Input224
    {
        [ImageType(224, 224)]
        public MLImage Image { get; set; } = null!;
    }

    public sealed class Prediction224
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
        [VectorType(224, 224)]
        public float[] Heatmap { get; set; } = [];
    }

    [Fact]
    public void DownstreamTransformsAndATrainerConsumeScoreAndHeatmap()
    {
        var data = LoadedImages();
        var pipeline = _ml.Transforms.GradCam(Options())
            .Append(_ml.Transforms.CopyColumns("Probabilities", "Score"))
            .Append(_ml.Transforms.Concatenate("Features", "Probabilities", "Heatmap"))
            .Append(_ml.Transforms.Conversion.ConvertType("LabelBool", "Label", DataKind.Boolean))
            .Append(_ml.BinaryClassification.Trainers.SdcaLogisticRegression("LabelBool", "Features", maximumNumberOfIterations: 5));
        var model = pipeline.Fit(data);
        var scored = model.Transform(data);
        Assert.Equal(5 + 32 * 32, ((VectorDataViewType)scored.Schema["Features"].Type).Size);
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        Assert.Equal(10, probabilities.Length);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
        // The trainer's scalar Score hides ours downstream; the copy kept our class probabilities.
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        var copied = scored.GetColumn<float[]>("Probabilities").First();
        var ours = _ml.Transforms.GradCam(Options()).Fit(data).Transform(data).GetColumn<float[]>("Score").First();
        Assert.Equal(ours, copied);
    }

    [Fact]
    public void TargetClassesCanComeFromAColumn()
    {
        var data = LoadedImages();
        var output = _ml.Transforms.GradCam(Options(o => o.TargetColumnName = "Target")).Fit(data).Transform(data);
        var predictions = _ml.Data.CreateEnumerable<TinyPrediction>(output, false).ToArray();
        var expected = EngineExplanations(Enumerable.Range(0, 10).Select(i => (int?)(i % 5)).ToArray());
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i % 5, predictions[i].TargetClass);
            Assertions.Close(expected[i].Heatmap.Data, predictions[i].Heatmap, 1e-5, 1e-6, what: $"row {i} heatmap");
        }
    }

    /// <summary>An Int64 target column (what ML.NET's conversions and many loaders give), with targets the model does not have.</summary>
    private sealed class LongTargetPath
    {
        public string Path { get; set; } = "";
        public long Target { get; set; }
    }

    [Fact]
    public void Int64TargetColumnsWorkAndOutOfRangeTargetsFailTheirRowOnly()
    {
        long[] targets = [0, 1, 2, 5, -1, 5_000_000_000L, 3, 4, 0, 1];
        var paths = _ml.Data.LoadFromEnumerable(_scenes.Files.Select((f, i) => new LongTargetPath { Path = f, Target = targets[i] }));
        var data = _ml.Transforms.LoadImages("Image", _scenes.Dir, "Path").Fit(paths).Transform(paths);
        Assert.Equal(NumberDataViewType.Int64, data.Schema["Target"].Type);
        var output = _ml.Transforms.GradCam(Options(o => o.TargetColumnName = "Target")).Fit(data).Transform(data);
        var rows = _ml.Data.CreateEnumerable<TinyPrediction>(output, false).ToArray();
        var expected = EngineExplanations(targets.Select(t => t is >= 0 and < 5 ? (int?)t : null).ToArray());
        Assert.Equal("target class 5 is out of range: the model has 5 classes (0..4)", rows[3].GradCamError);
        Assert.Equal("target class -1 is out of range: the model has 5 classes (0..4)", rows[4].GradCamError);
        Assert.Equal("target class 5000000000 is out of range", rows[5].GradCamError);
        foreach (int i in new[] { 3, 4, 5 })
        {
            Assert.Equal(-1, rows[i].TargetClass);
            Assert.All(rows[i].Heatmap, v => Assert.True(float.IsNaN(v)));
        }
        foreach (int i in new[] { 0, 1, 2, 6, 7, 8, 9 })
        {
            Assert.Equal((int)targets[i], rows[i].TargetClass);
            AssertEqual(expected[i], rows[i], $"row {i}");
        }
    }

    [Fact]
    public void LayerResolutionHeatmapsHaveTheLayersShape()
    {
        var data = LoadedImages();
        var output = _ml.Transforms.GradCam(Options(o => o.HeatmapResolution = HeatmapResolution.Layer)).Fit(data).Transform(data);
        var type = (VectorDataViewType)output.Schema["Heatmap"].Type;
        Assert.Equal([8, 8], type.Dimensions.ToArray());
        var heat = output.GetColumn<float[]>("Heatmap").First();
        var expected = EngineExplanations()[0].Cam;
        float min = expected.Min, range = expected.Max - min;
        Assertions.Close(expected.Data.Select(v => (v - min) / range).ToArray(), heat, 1e-5, 1e-6);
    }

    [Fact]
    public void NothingRunsUntilAnOutputColumnIsRead_AndRowsAreBatched()
    {
        var data = LoadedImages();
        using var transformer = _ml.Transforms.GradCam(Options()).Fit(data);
        long before = transformer.Explainer.Calls; // 1: the probe that sized the columns at Fit
        var output = transformer.Transform(data);
        Assert.Equal(before, transformer.Explainer.Calls);

        var paths = output.GetColumn<string>("Path").ToArray(); // pass-through only
        Assert.Equal(10, paths.Length);
        Assert.Equal(before, transformer.Explainer.Calls);

        // All five outputs of a row share one explanation; 10 rows at batch 4 = 3 forward passes.
        _ml.Data.CreateEnumerable<TinyPrediction>(output, false).ToList();
        Assert.Equal(before + 3, transformer.Explainer.Calls);
    }

    [Fact]
    public void SchemaErrorsNameTheColumnAndTheTypes()
    {
        var data = LoadedImages();
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Transforms.GradCam(Options(o => o.InputColumnName = "Photo")).GetOutputSchema(Shape(data.Schema)));
        Assert.Contains("'Photo' not found", missing.Message);
        Assert.Contains("'Image'", missing.Message);

        var wrong = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Transforms.GradCam(Options(o => o.InputColumnName = "Path")).Fit(data));
        Assert.Contains("input column 'Path'", wrong.Message);
        Assert.Contains("expected an image", wrong.Message);
        Assert.Contains("got String", wrong.Message);

        var target = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ml.Transforms.GradCam(Options(o => o.TargetColumnName = "Path"))
               .GetOutputSchema(Shape(data.Schema)));
        Assert.Contains("'Path'", target.Message);
        Assert.Contains("Int32", target.Message);

        using var transformer = _ml.Transforms.GradCam(Options()).Fit(data);
        var paths = _ml.Data.LoadFromEnumerable(_scenes.Rows);
        var onTransform = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(paths));
        Assert.Contains("'Image' not found", onTransform.Message);
    }

    /// <summary>What EstimatorChain.Fit passes to GetOutputSchema (ML.NET keeps SchemaShape.Create internal).</summary>
    private static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [schema])!;

    [Fact]
    public void SchemaErrorsSurfaceBeforeAnyRowWhenAPipelineIsFitted()
    {
        var data = LoadedImages();
        var pipeline = _ml.Transforms.CopyColumns("PathCopy", "Path").Append(_ml.Transforms.GradCam(Options(o => o.InputColumnName = "PathCopy")));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
        Assert.Contains("'PathCopy'", e.Message);
    }

    [Fact]
    public void LabelsMustCoverEveryClass()
    {
        var data = LoadedImages();
        var e = Assert.Throws<ArgumentException>(() => _ml.Transforms.GradCam(Options(o => o.Model = o.Model with { Labels = ["a", "b"] })).Fit(data));
        Assert.Contains("2 class labels", e.Message);
        Assert.Contains("5 classes", e.Message);
    }

    [Fact]
    public void EstimatorOutputSchemaListsTheNewColumns()
    {
        var data = LoadedImages();
        var shape = _ml.Transforms.GradCam(Options()).GetOutputSchema(Shape(data.Schema));
        var heat = shape.Single(c => c.Name == "Heatmap");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, heat.Kind);
        Assert.Equal(NumberDataViewType.Single, heat.ItemType);
        Assert.Equal(TextDataViewType.Instance, shape.Single(c => c.Name == "PredictedLabel").ItemType);
        Assert.Equal(NumberDataViewType.Int32, shape.Single(c => c.Name == "TargetClass").ItemType);
        Assert.Contains(shape, c => c.Name == "Path");
        Assert.Contains(shape, c => c.Name == "Image");
    }

    [Fact]
    public void SaveAndLoadGiveIdenticalOutputs_AndMLNetSaveSaysWhatToDo()
    {
        var data = LoadedImages();
        using var transformer = _ml.Transforms.GradCam(Options(o => o.HeatmapResolution = HeatmapResolution.Layer)).Fit(data);
        string path = Path.Combine(_scenes.Dir, "gradcam.zip");
        transformer.Save(path);
        using var loaded = GradCamTransformer.Load(_ml, path);
        Assert.Equal(transformer.TargetLayer, loaded.TargetLayer);
        var a = _ml.Data.CreateEnumerable<LayerPrediction>(transformer.Transform(data), false).ToArray();
        var b = _ml.Data.CreateEnumerable<LayerPrediction>(loaded.Transform(data), false).ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].Heatmap, b[i].Heatmap);
            Assert.Equal(a[i].Score, b[i].Score);
            Assert.Equal(a[i].PredictedLabel, b[i].PredictedLabel);
        }

        var e = Assert.Throws<NotSupportedException>(() => _ml.Model.Save(transformer, data.Schema, Path.Combine(_scenes.Dir, "mlnet.zip")));
        Assert.Contains("GradCamTransformer.Load", e.Message);
        Assert.Throws<FileNotFoundException>(() => GradCamTransformer.Load(_ml, Path.Combine(_scenes.Dir, "none.zip")));
    }

    [Fact]
    public void MethodFusionAndFlipOptionsReachTheEngine_AndSurviveSaveAndLoad()
    {
        var data = LoadedImages();
        var options = Options(o =>
        {
            o.Explainer.Method = GradCam.Engine.Methods.CamMethod.LayerCam;
            o.Explainer.Layers = ["features.6", "features.10"];
            o.Explainer.Fusion = GradCam.Engine.Methods.LayerFusion.Max;
            o.Explainer.FlipAveraging = true;
        });
        using var transformer = _ml.Transforms.GradCam(options).Fit(data);
        Assert.Equal(GradCam.Engine.Methods.CamMethod.LayerCam, transformer.Method);
        Assert.Equal(["features.6", "features.10"], transformer.TargetLayers);
        var actual = _ml.Data.CreateEnumerable<TinyPrediction>(transformer.Transform(data), reuseRowObject: false).ToArray();

        using var explainer = new GradCamExplainer(_model, new ExplainerOptions
        {
            Method = GradCam.Engine.Methods.CamMethod.LayerCam, Layers = ["features.6", "features.10"],
            Fusion = GradCam.Engine.Methods.LayerFusion.Max, FlipAveraging = true,
        });
        for (int i = 0; i < actual.Length; i++)
        {
            using var image = ImagePreprocessor.Load(Path.Combine(_scenes.Dir, _scenes.Files[i]));
            AssertEqual(explainer.Explain(image, topK: 1), actual[i], $"row {i}");
        }
        using (var plain = _ml.Transforms.GradCam(Options()).Fit(data))
        {
            var gradCam = _ml.Data.CreateEnumerable<TinyPrediction>(plain.Transform(data), reuseRowObject: false).First();
            Assert.NotEqual(gradCam.Heatmap, actual[0].Heatmap); // the options changed the map
        }

        string path = Path.Combine(_scenes.Dir, "layercam.zip");
        transformer.Save(path);
        using var loaded = GradCamTransformer.Load(_ml, path);
        Assert.Equal(transformer.Method, loaded.Method);
        Assert.Equal(transformer.TargetLayers, loaded.TargetLayers);
        var reloaded = _ml.Data.CreateEnumerable<TinyPrediction>(loaded.Transform(data), reuseRowObject: false).ToArray();
        for (int i = 0; i < actual.Length; i++) Assert.Equal(actual[i].Heatmap, reloaded[i].Heatmap);
    }

    [Theory]
    [InlineData(GradCam.Engine.Methods.CamMethod.GuidedGradCam, 32)] // pixel-resolution maps
    [InlineData(GradCam.Engine.Methods.CamMethod.ScoreCam, 8)]       // the layer's own resolution
    public void LayerResolutionHeatmapsFollowTheMethod(GradCam.Engine.Methods.CamMethod method, int side)
    {
        var data = LoadedImages();
        using var transformer = _ml.Transforms.GradCam(Options(o => { o.Explainer.Method = method; o.HeatmapResolution = HeatmapResolution.Layer; })).Fit(data);
        var type = Assert.IsType<VectorDataViewType>(transformer.GetOutputSchema(data.Schema)["Heatmap"].Type);
        Assert.Equal([side, side], type.Dimensions.ToArray());
        using var explainer = new GradCamExplainer(_model, new ExplainerOptions { Method = method });
        using var image = ImagePreprocessor.Load(Path.Combine(_scenes.Dir, _scenes.Files[0]));
        var expected = explainer.Explain(image, topK: 1).Cam;
        Assert.Equal(side * side, expected.Data.Length);
        // The column holds the engine's map at its own resolution, min-max normalised, for either shape.
        var heatmap = transformer.Transform(data).GetColumn<VBuffer<float>>("Heatmap").First().DenseValues().ToArray();
        Assertions.Close(expected.MinMaxNormalized().Data, heatmap, 1e-5, 1e-6);
    }

    public sealed class LayerPrediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
        [VectorType(8, 8)]
        public float[] Heatmap { get; set; } = [];
    }

    [Fact]
    public void ConcurrentCursorsGiveTheSameResultsAsOne()
    {
        var data = LoadedImages();
        using var transformer = _ml.Transforms.GradCam(Options()).Fit(data);
        var output = transformer.Transform(data);
        var sequential = output.GetColumn<float[]>("Heatmap").ToArray();
        var parallel = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => output.GetColumn<float[]>("Heatmap").ToArray()))
            .ToArray();
        Task.WaitAll(parallel);
        foreach (var t in parallel)
            for (int i = 0; i < sequential.Length; i++)
                Assert.Equal(sequential[i], t.Result[i]);
    }

    [Fact]
    public void CorruptImagesFailTheirRowOnly()
    {
        using var scenes = new SceneFolder(6, corruptIndex: 2);
        var data = LoadedImages(scenes);
        var output = _ml.Transforms.GradCam(Options()).Fit(data).Transform(data);
        var rows = _ml.Data.CreateEnumerable<TinyPrediction>(output, false).ToArray();
        Assert.Equal(6, rows.Length);
        Assert.NotEqual("", rows[2].GradCamError);
        Assert.All(rows[2].Heatmap, v => Assert.True(float.IsNaN(v)));
        Assert.Equal(-1, rows[2].TargetClass);
        foreach (int i in new[] { 0, 1, 3, 4, 5 })
        {
            Assert.Equal("", rows[i].GradCamError);
            Assert.Equal(1f, rows[i].Heatmap.Max(), 5);
        }
    }

    [Fact]
    public void ANonFiniteModelOutputIsTheRowsErrorNotNumbers()
    {
        var data = LoadedImages();
        var broken = _model.Module.named_parameters().Last().parameter;
        using (TorchSharp.torch.no_grad())
        {
            using var saved = broken.clone();
            broken.fill_(float.NaN); // the last layer's bias: every score NaN
            try
            {
                var rows = _ml.Data.CreateEnumerable<TinyPrediction>(_ml.Transforms.GradCam(Options()).Fit(data).Transform(data), false).ToArray();
                Assert.All(rows, r =>
                {
                    Assert.Contains("not finite", r.GradCamError);
                    Assert.All(r.Heatmap, v => Assert.True(float.IsNaN(v)));
                    Assert.Equal(-1, r.TargetClass);
                });
            }
            finally
            {
                broken.copy_(saved);
            }
        }
        var healthy = _ml.Data.CreateEnumerable<TinyPrediction>(_ml.Transforms.GradCam(Options()).Fit(data).Transform(data), false).First();
        Assert.Equal("", healthy.GradCamError);
    }

    [Fact]
    public void DisposingTheTransformerFreesTheModelItBuilt()
    {
        var data = LoadedImages();
        var transformer = _ml.Transforms.GradCam(new GradCamOptions { Model = new ModelSpec("resnet18") { RandomWeights = true } }).Fit(data);
        var weight = transformer.Model.Module.parameters().First();
        transformer.Dispose();
        Assert.True(weight.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => transformer.Transform(data));
    }
}
