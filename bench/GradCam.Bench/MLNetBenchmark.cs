using GradCam.Engine;
using GradCam.Imaging;
using GradCam.MLNet;
using GradCam.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using OpenCvSharp;
using TorchSharp;
using Scalar = OpenCvSharp.Scalar;
using static TorchSharp.torch;

namespace GradCam.Bench;

/// <summary>
/// Throughput of N in-memory images through an ML.NET pipeline (MLImage column → GradCam at batch 8, every output
/// column read) against the engine's own batched throughput on the same images, measured interleaved in one run.
/// Writes bench/results/mlnet.json.
/// </summary>
internal static class MLNetBenchmark
{
    public sealed record Record(string Model, int Images, int Batch, double EngineImagesPerSecond, double PipelineImagesPerSecond,
                                double PipelineOverEngine, int Rounds);

    public sealed class Row
    {
        [Microsoft.ML.Transforms.Image.ImageType(224, 224)]
        public MLImage Image { get; set; } = null!;
    }

    public static IReadOnlyList<Record> Run(string resultsDir, bool quick)
    {
        var records = new List<Record>();
        foreach (var (name, count) in new[] { ("vgg16", quick ? 8 : 32), ("resnet18", quick ? 16 : 64) })
        {
            const int batch = 8;
            var mats = Enumerable.Range(0, count).Select(Scene).ToArray();
            var rows = mats.Select(m => new Row { Image = m.ToMLImage() }).ToArray();
            using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true, Seed = 1 });
            using var explainer = new GradCamExplainer(model);
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(rows);
            using var transformer = ml.Transforms.GradCam(new GradCamOptions { Classifier = model, BatchSize = batch }).Fit(data);
            var output = transformer.Transform(data);
            using var inputs = ImagePreprocessor.ToBatch(mats, model.Input);

            void Engine()
            {
                for (int i = 0; i < count; i += batch)
                {
                    using var slice = inputs[i..Math.Min(count, i + batch)];
                    explainer.Explain(slice, topK: 1);
                }
            }

            void Pipeline()
            {
                var columns = output.Schema.Where(c => c.Name is "PredictedLabel" or "Score" or "Heatmap" or "TargetClass");
                using var cursor = output.GetRowCursor(columns);
                var label = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema["PredictedLabel"]);
                var score = cursor.GetGetter<VBuffer<float>>(output.Schema["Score"]);
                var heat = cursor.GetGetter<VBuffer<float>>(output.Schema["Heatmap"]);
                var target = cursor.GetGetter<int>(output.Schema["TargetClass"]);
                ReadOnlyMemory<char> l = default; VBuffer<float> s = default, h = default; int t = 0;
                while (cursor.MoveNext()) { label(ref l); score(ref s); heat(ref h); target(ref t); }
            }

            int rounds = quick ? 1 : name == "vgg16" ? 3 : 5;
            Console.Error.Write($"  {name}: {count} images at batch {batch}, {rounds} interleaved rounds ... ");
            var ms = Stopwatches.Interleaved(warmup: 1, rounds, Engine, Pipeline);
            var r = new Record(name, count, batch, Math.Round(count / ms[0] * 1000, 2), Math.Round(count / ms[1] * 1000, 2),
                               Math.Round(ms[0] / ms[1], 3), rounds);
            Console.Error.WriteLine($"engine {r.EngineImagesPerSecond} img/s, pipeline {r.PipelineImagesPerSecond} img/s ({r.PipelineOverEngine}x)");
            records.Add(r);
            foreach (var m in mats) m.Dispose();
            foreach (var row in rows) row.Image.Dispose();
        }
        EngineBenchmark.Write(Path.Combine(resultsDir, "mlnet.json"), records);
        return records;
    }

    private static Mat Scene(int i)
    {
        var image = new Mat(224, 224, MatType.CV_8UC3, new Scalar(60 + i % 7 * 20, 120, 180));
        Cv2.Rectangle(image, new Rect(20 + i % 9 * 15, 40, 60, 80), new Scalar(30, 30, 220), -1);
        Cv2.Circle(image, new Point(160, 60 + i % 5 * 20), 30, new Scalar(40, 200, 40), -1);
        return image;
    }
}
