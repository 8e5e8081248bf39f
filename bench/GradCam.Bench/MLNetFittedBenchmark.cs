using System.Diagnostics;
using GradCam.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using OpenCvSharp;

namespace GradCam.Bench;

/// <summary>
/// A fitted ML.NET model (ResNet18 features + LbfgsMaximumEntropy) against the same model explained: rows/s of
/// <c>trained.Transform</c> (ML.NET and ONNX Runtime, no explanation) and of the explainer (ML.NET's columns plus
/// Grad-CAM), every column read, batch 8, interleaved in one run. Writes bench/results/mlnet-fitted.json.
/// </summary>
internal static class MLNetFittedBenchmark
{
    public sealed record Record(int Rows, int Batch, double PredictRowsPerSecond, double ExplainRowsPerSecond, double ExplainOverPredict,
                                double HybridExplainRowsPerSecond, double HybridExplainOverPredict, int Rounds);

    public sealed class Row
    {
        public string ImagePath { get; set; } = "";

        public string Label { get; set; } = "";
    }

    public static Record Run(string resultsDir, bool quick)
    {
        var ml = new MLContext(seed: 1);
        int count = quick ? 16 : 48;
        // Image files: ML.NET disposes in-memory MLImages once a pipeline has read them, and both sides read every row.
        string dir = Directory.CreateTempSubdirectory("gradcam-bench-").FullName;
        var rows = Enumerable.Range(0, count).Select(i => MakeRow(i, dir)).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var trained = ResNet18Chains.LbfgsMaximumEntropy(ml).Fit(data);
        using var explainer = ml.Transforms.GradCam(trained, new FittedModelOptions { BatchSize = 8 }).Fit(data);
        using var hybrid = ml.Transforms.GradCam(trained, new FittedModelOptions { BatchSize = 8, Prefix = GradCam.OnnxRuntime.OnnxRuntimePrefix.Instance }).Fit(data);

        int rounds = quick ? 1 : 3;
        Console.Error.Write($"  {count} rows, {rounds} interleaved rounds ... ");
        var ms = Stopwatches.Interleaved(warmup: 1, rounds,
            () => ReadAll(trained.Transform(data)),
            () => ReadAll(explainer.Transform(data)),
            () => ReadAll(hybrid.Transform(data)));
        var r = new Record(count, 8, Math.Round(count / ms[0] * 1000, 2), Math.Round(count / ms[1] * 1000, 2), Math.Round(ms[1] / ms[0], 2),
                           Math.Round(count / ms[2] * 1000, 2), Math.Round(ms[2] / ms[0], 2), rounds);
        Console.Error.WriteLine($"predict {r.PredictRowsPerSecond} rows/s, explain {r.ExplainRowsPerSecond} rows/s ({r.ExplainOverPredict}x the time), " +
                                $"hybrid {r.HybridExplainRowsPerSecond} rows/s ({r.HybridExplainOverPredict}x)");
        EngineBenchmark.Write(Path.Combine(resultsDir, "mlnet-fitted.json"), r);
        Directory.Delete(dir, recursive: true);
        return r;
    }

    private static void ReadAll(IDataView view)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        var getters = view.Schema.Where(c => c.Type is VectorDataViewType { ItemType: NumberDataViewType } v && v.ItemType == NumberDataViewType.Single)
            .Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToList();
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
            foreach (var g in getters) g(ref buffer);
    }

    private static Row MakeRow(int i, string dir)
    {
        using var image = new Mat(224, 224, MatType.CV_8UC3, new Scalar(40 + i % 5 * 30, 90, 140));
        Cv2.Circle(image, new OpenCvSharp.Point(40 + i * 13 % 140, 60 + i * 7 % 100), 30, new Scalar(20, 30, 220), -1);
        string path = Path.Combine(dir, $"{i}.png");
        image.SaveImage(path);
        return new Row { ImagePath = path, Label = (i % 2).ToString() };
    }
}
