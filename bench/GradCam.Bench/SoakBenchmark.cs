using System.Diagnostics;
using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Models;
using GradCam.Video;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;
using OpenCvSharp;

namespace GradCam.Bench;

/// <summary>
/// A long replay (10,000 frames of a generated video through resnet18, with the annotated video and the timeline)
/// while resident memory, open file descriptors and threads are sampled every second: after the warm-up they must stay
/// flat. Writes bench/results/soak.json.
/// </summary>
internal static class SoakBenchmark
{
    public sealed record Sample(double Seconds, long Frames, double RssMb, int FileDescriptors, int Threads);

    public sealed record Result(string Model, int Frames, int Batch, string FrameSize, double Seconds, double Fps,
                                double WarmRssMb, double EndRssMb, double RssDriftPercent, double MaxRssMb,
                                int MinFileDescriptors, int MaxFileDescriptors, int MinThreads, int MaxThreads,
                                IReadOnlyList<Sample> Samples);

    public static Result Run(string resultsDir, bool quick)
    {
        int frames = quick ? 1000 : 10_000;
        const int batch = 4;
        string dir = Directory.CreateTempSubdirectory("gradcam-soak-").FullName;
        try
        {
            string clip = Path.Combine(dir, "soak.avi");
            Console.Error.Write($"  soak: writing a {frames}-frame 320x240 video ... ");
            using (var writer = new VideoWriter(clip, FourCC.MJPG, 25, new Size(320, 240)))
                for (int i = 0; i < frames; i++)
                {
                    using var f = new Mat(240, 320, MatType.CV_8UC3, new Scalar(150, 120, 100));
                    Cv2.Circle(f, new Point(20 + i * 280 / frames, 120), 30, new Scalar(20, 20, 230), -1);
                    writer.Write(f);
                }
            Console.Error.WriteLine("done");

            using var model = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true, Seed = 1 });
            using var explainer = new GradCamExplainer(model);
            using var source = new VideoFileSource(clip);
            using var replay = VideoExplainer.Replay(source, explainer, new PipelineOptions { BatchSize = batch })
                .Overlay(new OverlaySettings(), new HeatmapSmoother { Normalization = HeatmapNormalization.Running })
                .To(new VideoFileSink(Path.Combine(dir, "out.avi"), source.Fps, source.Size), new TimelineSink(Path.Combine(dir, "out.jsonl"), source.Size));

            var samples = new List<Sample>();
            var clock = Stopwatch.StartNew();
            using var done = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!done.IsCancellationRequested)
                {
                    samples.Add(Take(clock.Elapsed.TotalSeconds, replay.Stats.Written));
                    if (samples.Count % 30 == 0) Console.Error.WriteLine($"  soak: {replay.Stats.Written}/{frames} frames, RSS {samples[^1].RssMb:0} MB");
                    try { await Task.Delay(1000, done.Token); } catch (OperationCanceledException) { }
                }
            });
            var stats = replay.RunAsync().GetAwaiter().GetResult();
            done.Cancel();
            sampler.Wait();
            samples.Add(Take(clock.Elapsed.TotalSeconds, stats.Written));
            if (stats.Written != frames) throw new InvalidOperationException($"the soak replay wrote {stats.Written} of {frames} frames");

            // Warm-up: the first 20 % of the run (allocator arenas, libtorch's caches, the encoder's buffers).
            var warm = samples.Where(s => s.Frames >= frames * 0.2).ToList();
            double warmRss = warm.Take(Math.Max(1, warm.Count / 10)).Average(s => s.RssMb);
            double endRss = warm.Skip(warm.Count - Math.Max(1, warm.Count / 10)).Average(s => s.RssMb);
            var r = new Result("resnet18", frames, batch, "320x240", Math.Round(clock.Elapsed.TotalSeconds, 1),
                Math.Round(frames / clock.Elapsed.TotalSeconds, 2), Math.Round(warmRss, 1), Math.Round(endRss, 1),
                Math.Round((endRss - warmRss) / warmRss * 100, 2), Math.Round(samples.Max(s => s.RssMb), 1),
                warm.Min(s => s.FileDescriptors), warm.Max(s => s.FileDescriptors), warm.Min(s => s.Threads), warm.Max(s => s.Threads),
                samples);
            EngineBenchmark.Write(Path.Combine(resultsDir, "soak.json"), r);
            return r;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Sample Take(double seconds, long frames)
    {
        long rssKb = 0;
        int threads = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:")) rssKb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            else if (line.StartsWith("Threads:")) threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        int fds = Directory.GetFiles("/proc/self/fd").Length;
        return new Sample(Math.Round(seconds, 1), frames, Math.Round(rssKb / 1024.0, 1), fds, threads);
    }
}
