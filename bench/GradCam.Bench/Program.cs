using GradCam.Bench;

// ./build.sh bench [--quick] [--only engine|methods|mlnet|liveview|onnx|mlnet-fitted|fleet|soak]
if (args is ["--probe-import", var probed]) return OnnxBenchmark.Probe(probed);
bool quick = args.Contains("--quick");
string results = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../results"));
int only = Array.IndexOf(args, "--only");
string? suite = only >= 0 && only + 1 < args.Length ? args[only + 1] : null;

Console.Error.WriteLine($"GradCam benchmarks ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, results in {results}");
if (suite is null or "engine")
{
    Console.Error.WriteLine("engine: forward vs Grad-CAM vs naive full-backward Grad-CAM (median ms, interleaved)");
    var records = EngineBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| model | batch | forward ms | Grad-CAM ms | naive ms | Grad-CAM / forward | naive / Grad-CAM |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in records)
        Console.WriteLine($"| {r.Model} | {r.Batch} | {r.ForwardMs} | {r.GradcamMs} | {r.NaiveMs} | {r.GradcamOverForward:0.00} | {r.NaiveOverGradcam:0.0} |");
}

if (suite is null or "methods")
{
    Console.Error.WriteLine("methods: each explanation method's cost relative to one forward pass (median ms, interleaved)");
    var records = MethodsBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| model | batch | method | ms | forward ms | method / forward |");
    Console.WriteLine("|---|---:|---|---:|---:|---:|");
    foreach (var r in records)
        Console.WriteLine($"| {r.Model} | {r.Batch} | {r.Method} | {r.Ms} | {r.ForwardMs} | {r.OverForward:0.00} |");
}

if (suite is null or "mlnet")
{
    Console.Error.WriteLine("mlnet: images/s through an ML.NET pipeline (GradCam at batch 8) vs the engine's batched throughput");
    var records = MLNetBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| model | images | batch | engine img/s | pipeline img/s | pipeline / engine |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var r in records)
        Console.WriteLine($"| {r.Model} | {r.Images} | {r.Batch} | {r.EngineImagesPerSecond} | {r.PipelineImagesPerSecond} | {r.PipelineOverEngine:0.00} |");
}

if (suite is null or "liveview")
{
    Console.Error.WriteLine("liveview: replay throughput vs the engine alone; live latency with a 60 fps source");
    var live = LiveViewBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| model | frames | batch | engine fps | replay fps | replay / engine |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var r in live.Replay)
        Console.WriteLine($"| {r.Model} | {r.Frames} | {r.Batch} | {r.EngineFps} | {r.ReplayFps} | {r.ReplayOverEngine:0.00} |");
    Console.WriteLine();
    Console.WriteLine("| model | source fps | captured | explained | dropped | model fps | display p95 ms | heatmap age p50 / p95 ms | p95 first / second half |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in live.Live)
        Console.WriteLine($"| {r.Model} | {r.SourceFps} | {r.Captured} | {r.Explained} | {r.DroppedBeforeInference} | {r.ModelFps} | {r.DisplayLatencyP95Ms} | {r.HeatmapAgeP50Ms} / {r.HeatmapAgeP95Ms} | {r.HeatmapAgeP95FirstHalfMs} / {r.HeatmapAgeP95SecondHalfMs} |");
}

if (suite is null or "onnx")
{
    Console.Error.WriteLine("onnx: imported ONNX model vs the zoo on the same weights vs ONNX Runtime (median ms, interleaved)");
    var onnx = OnnxBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| model | batch | zoo forward | imported forward | ORT forward | zoo Grad-CAM | imported Grad-CAM | hybrid Grad-CAM | imported / zoo forward | imported / zoo Grad-CAM | hybrid Grad-CAM / ORT forward |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in onnx.Speed)
        Console.WriteLine($"| {r.Model} | {r.Batch} | {r.ZooForwardMs} | {r.ImportedForwardMs} | {r.OrtForwardMs} | {r.ZooGradcamMs} | {r.ImportedGradcamMs} | {r.HybridGradcamMs} | {r.ImportedOverZooForward:0.00} | {r.ImportedOverZooGradcam:0.00} | {r.HybridGradcamOverOrtForward:0.00} |");
    Console.WriteLine($"vgg16 import: {onnx.Import.ImportMs} ms, peak anonymous memory {onnx.Import.PeakOverWeights}x the file");
}
if (suite is null or "targets")
{
    Console.Error.WriteLine("targets: a detector's forward vs one box's Grad-CAM, K boxes sharing a forward pass, vit_b_16 forward vs Grad-CAM (median ms, interleaved)");
    var t = TargetsBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| model | target | forward ms | explain ms | explain / forward |");
    Console.WriteLine("|---|---|---:|---:|---:|");
    foreach (var p in t.Pairs) Console.WriteLine($"| {p.Model} | {p.Target} | {p.ForwardMs} | {p.ExplainMs} | {p.ExplainOverForward:0.00} |");
    Console.WriteLine("| boxes | shared forward ms | separately ms | shared / forward | separately / forward |");
    Console.WriteLine("|---:|---:|---:|---:|---:|");
    foreach (var s in t.BoxAll) Console.WriteLine($"| {s.Boxes} | {s.SharedMs} | {s.SeparateMs} | {s.SharedOverForward:0.00} | {s.SeparateOverForward:0.00} |");
}
if (suite is null or "mlnet-fitted")
{
    Console.Error.WriteLine("mlnet-fitted: a fitted ML.NET model's own predictions vs the same rows explained (rows/s, batch 8)");
    var r = MLNetFittedBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| rows | batch | predict rows/s | explain rows/s | explain / predict time | hybrid explain rows/s | hybrid / predict time |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| {r.Rows} | {r.Batch} | {r.PredictRowsPerSecond} | {r.ExplainRowsPerSecond} | {r.ExplainOverPredict:0.00} | {r.HybridExplainRowsPerSecond} | {r.HybridExplainOverPredict:0.00} |");
}
if (suite is null or "fleet")
{
    Console.Error.WriteLine("fleet: fleet run --workers 1 against plain investigations; coordination from 1 to 32 silos with simulated inference");
    var r = FleetBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine($"overhead: {r.Overhead.Drives} drives, plain {r.Overhead.PlainSeconds} s, fleet {r.Overhead.FleetSeconds} s, fleet / plain {r.Overhead.FleetOverPlain:0.00}");
    Console.WriteLine("| silos | drives | drives/s | ideal | efficiency |");
    Console.WriteLine("|---:|---:|---:|---:|---:|");
    foreach (var p in r.Scale) Console.WriteLine($"| {p.Silos} | {p.Drives} | {p.DrivesPerSecond} | {p.IdealDrivesPerSecond} | {p.Efficiency:P0} |");
}
if (suite is "soak") // long (minutes): only on request
{
    Console.Error.WriteLine("soak: a long replay with resident memory, file descriptors and threads sampled every second");
    var r = SoakBenchmark.Run(results, quick);
    Console.WriteLine();
    Console.WriteLine("| frames | fps | RSS after warm-up MB | RSS at the end MB | drift | max RSS MB | fds min-max | threads min-max |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| {r.Frames} | {r.Fps} | {r.WarmRssMb} | {r.EndRssMb} | {r.RssDriftPercent:0.0} % | {r.MaxRssMb} | {r.MinFileDescriptors}-{r.MaxFileDescriptors} | {r.MinThreads}-{r.MaxThreads} |");
}
return 0;
