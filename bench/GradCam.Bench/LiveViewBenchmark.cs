using System.Diagnostics;
using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;
using GradCam.Models;
using OpenCvSharp;
using TorchSharp;
using Scalar = OpenCvSharp.Scalar;

namespace GradCam.Bench;

/// <summary>
/// Replay throughput (decode → explain → overlay → encode, with the timeline) against the engine alone on the same
/// frames and batch size, interleaved in one run; and live latency while a 60 fps source outpaces the model.
/// Writes bench/results/liveview.json.
/// </summary>
internal static class LiveViewBenchmark
{
    public sealed record ReplayRecord(string Model, int Frames, int Batch, string FrameSize, double EngineFps, double ReplayFps,
                                      double ReplayOverEngine, int Rounds);

    public sealed record LiveRecord(string Model, double SourceFps, int Frames, long Captured, long Explained, long DroppedBeforeInference,
                                    long Shown, double ModelFps, double DisplayLatencyP50Ms, double DisplayLatencyP95Ms,
                                    double HeatmapAgeP50Ms, double HeatmapAgeP95Ms, double HeatmapAgeP95FirstHalfMs, double HeatmapAgeP95SecondHalfMs);

    public sealed record Results(IReadOnlyList<ReplayRecord> Replay, IReadOnlyList<LiveRecord> Live);

    public static Results Run(string resultsDir, bool quick)
    {
        string dir = Directory.CreateTempSubdirectory("gradcam-bench-").FullName;
        try
        {
            var replay = new List<ReplayRecord>();
            foreach (var (name, frames) in new[] { ("resnet18", quick ? 16 : 96), ("vgg16", quick ? 8 : 24) })
                replay.Add(Replay(name, frames, batch: 4, dir, rounds: quick ? 1 : 3));
            var live = new List<LiveRecord> { Live("resnet18", quick ? 60 : 300, dir), Live("vgg16", quick ? 60 : 240, dir) };
            var results = new Results(replay, live);
            EngineBenchmark.Write(Path.Combine(resultsDir, "liveview.json"), results);
            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Clip(string dir, int frames, double fps)
    {
        string path = Path.Combine(dir, $"clip-{frames}-{fps}.avi");
        if (File.Exists(path)) return path;
        using var writer = new VideoWriter(path, FourCC.MJPG, fps, new Size(640, 360));
        for (int i = 0; i < frames; i++)
        {
            using var f = new Mat(360, 640, MatType.CV_8UC3, new Scalar(150, 120, 100));
            Cv2.Rectangle(f, new Rect(0, 250, 640, 110), new Scalar(90, 90, 90), -1);
            Cv2.Rectangle(f, new Rect(20 + i * 600 / frames, 150, 60, 60), new Scalar(20, 20, 230), -1);
            Cv2.Circle(f, new Point(520, 80), 40, new Scalar(40, 200, 40), -1);
            writer.Write(f);
        }
        return path;
    }

    private static ReplayRecord Replay(string name, int frames, int batch, string dir, int rounds)
    {
        string clip = Clip(dir, frames, 15);
        using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true, Seed = 1 });
        using var explainer = new GradCamExplainer(model);

        // The engine alone: the same frames, already decoded and preprocessed, explained in batches.
        var images = new List<Mat>();
        using (var source = new VideoFileSource(clip))
            for (var m = new Mat(); source.Read(m) == FrameReadResult.Frame; m = new Mat()) images.Add(m);
        using var inputs = ImagePreprocessor.ToBatch(images, model.Input);
        foreach (var m in images) m.Dispose();

        void Engine()
        {
            for (int i = 0; i < frames; i += batch)
            {
                using var slice = inputs[i..Math.Min(frames, i + batch)];
                explainer.Explain(slice);
            }
        }

        void ReplayOnce()
        {
            using var source = new VideoFileSource(clip);
            using var replay = VideoExplainer.Replay(source, explainer, new PipelineOptions { BatchSize = batch })
                .Overlay(new OverlaySettings(), new HeatmapSmoother { Normalization = HeatmapNormalization.Running })
                .To(new VideoFileSink(Path.Combine(dir, "out.mp4"), source.Fps, source.Size), new TimelineSink(Path.Combine(dir, "out.jsonl"), source.Size));
            var stats = replay.RunAsync().GetAwaiter().GetResult();
            if (stats.Written != frames) throw new InvalidOperationException($"replay wrote {stats.Written} of {frames} frames");
        }

        Console.Error.Write($"  replay {name}: {frames} frames 640x360 at batch {batch}, {rounds} interleaved rounds ... ");
        var ms = Stopwatches.Interleaved(warmup: 1, rounds, Engine, ReplayOnce);
        var r = new ReplayRecord(name, frames, batch, "640x360", Math.Round(frames / ms[0] * 1000, 2), Math.Round(frames / ms[1] * 1000, 2),
                                 Math.Round(ms[0] / ms[1], 3), rounds);
        Console.Error.WriteLine($"engine {r.EngineFps} fps, replay {r.ReplayFps} fps ({r.ReplayOverEngine}x)");
        return r;
    }

    private sealed class LatencyRecorder(double fps) : IFrameSink
    {
        public List<double> Display { get; } = [];
        public List<double> HeatmapAge { get; } = [];

        public void Write(Frame frame)
        {
            Display.Add(frame.Latency.Total);
            // How old the shown heatmap is: from its frame's capture to this frame's display.
            if (frame.ExplainedFrame >= 0) HeatmapAge.Add((frame.Index - frame.ExplainedFrame) * 1000 / fps + frame.Latency.Total);
        }

        public void Complete() { }

        public void Dispose() { }
    }

    private static LiveRecord Live(string name, int frames, string dir)
    {
        const double fps = 60;
        string clip = Clip(dir, frames, fps);
        using var model = ModelZoo.Create(new ModelSpec(name) { RandomWeights = true, Seed = 1 });
        using var explainer = new GradCamExplainer(model);
        using var source = new VideoFileSource(clip);
        var recorder = new LatencyRecorder(fps);
        Console.Error.Write($"  live {name}: {frames} frames at {fps} fps ... ");
        using var live = VideoExplainer.Live(source, explainer).To(recorder);
        var stats = live.RunAsync().GetAwaiter().GetResult();
        var age = recorder.HeatmapAge;
        int half = age.Count / 2;
        var r = new LiveRecord(name, fps, frames, stats.Captured, stats.Explained, stats.Dropped, stats.Written, Math.Round(stats.ModelFps, 1),
            P(recorder.Display, 50), P(recorder.Display, 95), P(age, 50), P(age, 95), P(age.Take(half).ToList(), 95), P(age.Skip(half).ToList(), 95));
        Console.Error.WriteLine($"model {r.ModelFps} fps, {r.DroppedBeforeInference} dropped, display p95 {r.DisplayLatencyP95Ms} ms, heatmap age p95 {r.HeatmapAgeP95Ms} ms (first half {r.HeatmapAgeP95FirstHalfMs}, second half {r.HeatmapAgeP95SecondHalfMs})");
        return r;
    }

    private static double P(List<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(percentile / 100 * sorted.Length))], 1);
    }
}
