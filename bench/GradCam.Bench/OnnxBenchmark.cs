using System.Diagnostics;
using GradCam.Engine;
using GradCam.Models;
using GradCam.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Bench;

/// <summary>
/// The imported ONNX model against the zoo on the same weights (forward and Grad-CAM), and ONNX Runtime's forward on the
/// same file, side by side in one run; plus vgg16's import time and memory in a fresh process. The ONNX files are
/// torchvision exports made by the tests' fixture script (Debian's python3-torch). Writes bench/results/onnx.json.
/// </summary>
internal static class OnnxBenchmark
{
    public sealed record Record(string Model, int Batch, double ZooForwardMs, double ImportedForwardMs, double OrtForwardMs,
                                double ZooGradcamMs, double ImportedGradcamMs, double HybridGradcamMs, double ImportedOverZooForward,
                                double ImportedOverZooGradcam, double ImportedGradcamOverOrtForward, double HybridGradcamOverOrtForward, int Rounds);

    public sealed record ImportRecord(string Model, double FileMB, double ImportMs, double AnonBeforeMB, double PeakAnonMB, double PeakOverWeights);

    public sealed record Results(IReadOnlyList<Record> Speed, ImportRecord Import);

    public static Results Run(string resultsDir, bool quick)
    {
        string fixtures = Fixtures();
        var records = new List<Record>();
        foreach (var (name, layer) in new[] { ("resnet18", "/layer4/layer4.1/relu_1/Relu"), ("vgg16", "/features/features.28/Conv") })
        {
            string onnx = Path.Combine(fixtures, $"{name}.op13.onnx");
            using var zoo = ModelZoo.Create(new ModelSpec(name) { WeightsPath = Path.Combine(fixtures, $"{name}.pth") });
            using var imported = OnnxModel.Load(onnx);
            using var zooExplainer = new GradCamExplainer(zoo);
            using var importedExplainer = new GradCamExplainer(imported, layer);
            using var hybrid = OnnxModel.Load(onnx, new OnnxImportOptions { Prefix = GradCam.OnnxRuntime.OnnxRuntimePrefix.Instance });
            using var hybridExplainer = new GradCamExplainer(hybrid, layer);
            using var options = new SessionOptions { IntraOpNumThreads = torch.get_num_threads() };
            using var session = new InferenceSession(onnx, options);
            foreach (int batch in new[] { 1, 8 })
            {
                using var generator = new torch.Generator((ulong)batch);
                using var input = torch.randn([batch, 3, 224, 224], generator: generator);
                var ortInput = new DenseTensor<float>(input.data<float>().ToArray(), [batch, 3, 224, 224]);
                int rounds = quick ? 2 : batch == 1 ? 15 : 5;
                Console.Error.Write($"  {name} batch {batch}: {rounds} interleaved rounds ... ");
                var ms = Stopwatches.Interleaved(warmup: 1, rounds,
                    () => { using var l = zooExplainer.Forward(input); },
                    () => { using var l = importedExplainer.Forward(input); },
                    () => { using var r = session.Run([NamedOnnxValue.CreateFromTensor("input", ortInput)]); },
                    () => zooExplainer.Explain(input),
                    () => importedExplainer.Explain(input),
                    () => hybridExplainer.Explain(input));
                var r = new Record(name, batch, R(ms[0]), R(ms[1]), R(ms[2]), R(ms[3]), R(ms[4]), R(ms[5]),
                                   Math.Round(ms[1] / ms[0], 3), Math.Round(ms[4] / ms[3], 3), Math.Round(ms[4] / ms[2], 2), Math.Round(ms[5] / ms[2], 3), rounds);
                Console.Error.WriteLine($"forward zoo {r.ZooForwardMs} / imported {r.ImportedForwardMs} / ORT {r.OrtForwardMs} ms; " +
                                        $"Grad-CAM zoo {r.ZooGradcamMs} / imported {r.ImportedGradcamMs} / hybrid {r.HybridGradcamMs} ms");
                records.Add(r);
            }
        }
        var import = MeasureImport(Path.Combine(fixtures, "vgg16.op13.onnx"));
        var results = new Results(records, import);
        EngineBenchmark.Write(Path.Combine(resultsDir, "onnx.json"), results);
        return results;
    }

    /// <summary>Imports a model in this fresh process and prints its time and memory (run by <see cref="MeasureImport"/>).</summary>
    public static int Probe(string path)
    {
        using (var warm = torch.zeros(1)) { }
        long before = Status("RssAnon:");
        // Anonymous memory (what the import allocates; the file's page cache is not counted), sampled every millisecond.
        long peak = before;
        bool done = false;
        var sampler = new Thread(() => { while (!Volatile.Read(ref done)) { peak = Math.Max(peak, Status("RssAnon:")); Thread.Sleep(1); } });
        sampler.Start();
        var sw = Stopwatch.StartNew();
        using var model = OnnxModel.Load(path);
        double ms = sw.Elapsed.TotalMilliseconds;
        Volatile.Write(ref done, true);
        sampler.Join();
        Console.WriteLine($"{ms:0} {before} {Math.Max(peak, Status("RssAnon:"))}");
        return 0;
    }

    private static long Status(string key) =>
        long.Parse(File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith(key)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    private static ImportRecord MeasureImport(string path)
    {
        var times = new List<double>();
        (long Before, long Peak) memory = default;
        for (int i = 0; i < 3; i++)
        {
            var fields = ProcessRunner.Run("dotnet", [typeof(OnnxBenchmark).Assembly.Location, "--probe-import", path]).Stdout.Trim().Split(' ');
            times.Add(double.Parse(fields[0]));
            memory = (long.Parse(fields[1]), long.Parse(fields[2]));
        }
        double fileMB = new FileInfo(path).Length / 1048576.0;
        var record = new ImportRecord("vgg16", Math.Round(fileMB, 1), R(Stopwatches.Median(times)), R(memory.Before / 1048576.0),
                                      R(memory.Peak / 1048576.0), Math.Round((memory.Peak - memory.Before) / 1048576.0 / fileMB, 2));
        Console.Error.WriteLine($"  vgg16 import: {record.ImportMs} ms (median of 3 fresh processes), peak anonymous memory {record.PeakAnonMB} MB " +
                                $"from {record.AnonBeforeMB} MB: {record.PeakOverWeights}x the {record.FileMB} MB file");
        return record;
    }

    // The torchvision exports the tests use, made by the same script into the same cache.
    private static string Fixtures() => new TorchvisionOnnxFixture().Directory;

    private static double R(double ms) => Math.Round(ms, 1);
}
