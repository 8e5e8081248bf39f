using System.Text.Json;
using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;
using Xunit;

namespace GradCam.Video.Tests.Pipeline;

[Collection(SerialCollection.Name)]
public class ExplainPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Run(PipelineStats Stats, string Video, string Timeline);

    private static async Task<Run> Replay(IFrameSource source, GradCam.Models.ImageClassifier model, string dir, PipelineOptions options,
                                          CancellationToken token = default, IFrameSink? extra = null, PipelinePolicy? policy = null)
    {
        using var explainer = new GradCamExplainer(model);
        string video = Path.Combine(dir, "out.mp4"), timeline = Path.Combine(dir, "timeline.jsonl");
        using var run = (policy == PipelinePolicy.Live ? VideoExplainer.Live(source, explainer, options) : VideoExplainer.Replay(source, explainer, options))
            .Overlay(new OverlaySettings(), new HeatmapSmoother())
            .To(new VideoFileSink(video, source.Fps, source.Size), new TimelineSink(timeline, source.Size));
        if (extra is not null) run.To(extra);
        var stats = await run.RunAsync(token);
        return new Run(stats, video, timeline);
    }

    private static JsonElement[] Lines(string timeline) =>
        File.ReadAllLines(timeline).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

    [Fact]
    public async Task ReplayKeepsEveryFrameInOrderAtTheSourcesSizeAndRate()
    {
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), 40, fps: 12);
        using var source = new VideoFileSource(clip);
        using var model = TestModels.RedDetector();
        var run = await Replay(source, model, _dir, new PipelineOptions { BatchSize = 4, Target = 0 });

        var (frames, size, fps) = TestVideos.Inspect(run.Video);
        Assert.Equal(40, frames);
        Assert.Equal(new OpenCvSharp.Size(TestVideos.Width, TestVideos.Height), size);
        Assert.Equal(12, fps, 1);
        var lines = Lines(run.Timeline);
        Assert.Equal(Enumerable.Range(0, 40), lines.Select(l => l.GetProperty("frame").GetInt32()));
        Assert.Equal(1000.0 / 12 * 39, lines[^1].GetProperty("timestampMs").GetDouble(), 2);
        Assert.All(lines, l => Assert.Equal(0, l.GetProperty("target").GetInt32()));
        var latency = lines[5].GetProperty("latencyMs");
        foreach (var stage in new[] { "decode", "preprocess", "queue", "inference", "compose", "total" })
            Assert.True(latency.GetProperty(stage).GetDouble() >= 0);
        Assert.True(latency.GetProperty("inference").GetDouble() > 0);
        Assert.Equal(40, run.Stats.Explained);
        Assert.Equal(0, run.Stats.Dropped);
    }

    [Fact]
    public async Task HeatmapPeakFollowsTheMovingRedSquare()
    {
        const int n = 24;
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), n);
        using var source = new VideoFileSource(clip);
        using var model = TestModels.RedDetector();
        var run = await Replay(source, model, _dir, new PipelineOptions { BatchSize = 3, Target = 0 });
        var lines = Lines(run.Timeline);
        Assert.Equal(n, lines.Length);
        for (int i = 0; i < n; i++)
        {
            var peak = lines[i].GetProperty("peak");
            int x = peak.GetProperty("x").GetInt32(), y = peak.GetProperty("y").GetInt32();
            int left = TestVideos.SquareX(i, n);
            Assert.InRange(x, left - 3, left + TestVideos.Square + 3);
            Assert.InRange(y, TestVideos.SquareY - 3, TestVideos.SquareY + TestVideos.Square + 3);
        }
        Assert.True(lines[^1].GetProperty("peak").GetProperty("x").GetInt32() > lines[0].GetProperty("peak").GetProperty("x").GetInt32() + 80);
    }

    [Fact]
    public async Task EveryNthFrameIsExplainedAndTheOthersCarryTheLatestExplanation()
    {
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), 12);
        using var source = new VideoFileSource(clip);
        using var model = TestModels.RedDetector();
        var run = await Replay(source, model, _dir, new PipelineOptions { BatchSize = 2, Every = 4, Target = 0 });
        var lines = Lines(run.Timeline);
        Assert.Equal(12, lines.Length);
        Assert.Equal(3, run.Stats.Explained);
        Assert.Equal([0, 0, 0, 0, 4, 4, 4, 4, 8, 8, 8, 8], lines.Select(l => l.GetProperty("explainedFrame").GetInt32()));
    }

    [Fact]
    public async Task CancellingMidwayLeavesAPlayableVideoAndACompleteTimeline()
    {
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), 200);
        using var source = new VideoFileSource(clip);
        using var model = TestModels.RedDetector(delayMs: 15);
        using var cancel = new CancellationTokenSource();
        var stopper = new StopAfter(30, cancel);
        var run = await Replay(source, model, _dir, new PipelineOptions { BatchSize = 2, Target = 0 }, cancel.Token, stopper);

        long written = run.Stats.Written;
        Assert.InRange(written, 30, 199);
        var (frames, _, _) = TestVideos.Inspect(run.Video);
        Assert.Equal(written, frames);
        var lines = Lines(run.Timeline);
        Assert.Equal(written, lines.Length);
        Assert.Equal(Enumerable.Range(0, (int)written), lines.Select(l => l.GetProperty("frame").GetInt32()));
    }

    private sealed class StopAfter(int frames, CancellationTokenSource cancel) : IFrameSink
    {
        private int _seen;
        public void Write(Frame frame) { if (++_seen == frames) cancel.Cancel(); }
        public void Complete() { }
        public void Dispose() { }
    }

    [Fact]
    public async Task LiveDropsStaleFramesUnderASlowModelWhileReplayDropsNothing()
    {
        // 90 frames at 60 fps (1.5 s) against a model that needs 60 ms a frame (under 17 fps).
        const int n = 90;
        string clip = TestVideos.Write(Path.Combine(_dir, "fast.avi"), n, fps: 60);
        using var model = TestModels.RedDetector(delayMs: 60);

        using (var source = new VideoFileSource(clip))
        {
            var live = await Replay(source, model, Path.Combine(_dir, "live"), new PipelineOptions { BatchSize = 1, Target = 0 }, policy: PipelinePolicy.Live);
            Assert.Equal(n, live.Stats.Captured);
            Assert.True(live.Stats.Dropped > n / 3, $"live dropped {live.Stats.Dropped} of {n}");
            Assert.InRange(live.Stats.Explained, 5, n - live.Stats.Dropped);
            Assert.Equal(live.Stats.Captured - live.Stats.Dropped, live.Stats.Explained);
            // Captured frames are still shown, with the most recent heatmap (the display only gives way when drawing
            // itself falls behind, e.g. on a loaded machine), and latency stays bounded: queueing every frame for this
            // model would take 90 x 60 ms = 5.4 s.
            Assert.Equal(n, live.Stats.Written + live.Stats.DisplayDropped);
            Assert.True(live.Stats.Written >= n / 2, $"live showed {live.Stats.Written} of {n} frames");
            Assert.True(live.Stats.MaxLatencyMs < 2000, $"live latency reached {live.Stats.MaxLatencyMs:0} ms");
        }

        using (var source = new VideoFileSource(clip))
        {
            var replay = await Replay(source, model, Path.Combine(_dir, "replay"), new PipelineOptions { BatchSize = 1, Target = 0 }, policy: PipelinePolicy.Replay);
            Assert.Equal(0, replay.Stats.Dropped);
            Assert.Equal(n, replay.Stats.Explained);
            Assert.Equal(n, replay.Stats.Written);
        }
    }

    /// <summary>A source that fails (an I/O error, a device unplugged) after some frames.</summary>
    private sealed class FailingSource(IFrameSource inner, int frames) : IFrameSource
    {
        private int _read;
        public string Description => inner.Description;
        public double Fps => inner.Fps;
        public OpenCvSharp.Size Size => inner.Size;
        public long? FrameCount => inner.FrameCount;
        public bool IsLive => false;
        public FrameReadResult Read(OpenCvSharp.Mat frame) =>
            ++_read > frames ? throw new IOException("the device went away") : inner.Read(frame);
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public async Task AFailingStageStopsThePipelineWithItsErrorAndTheOutputsStayValid()
    {
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), 30);
        using var source = new FailingSource(new VideoFileSource(clip), frames: 12);
        using var model = TestModels.RedDetector();
        var e = await Assert.ThrowsAsync<IOException>(() => Replay(source, model, _dir, new PipelineOptions { BatchSize = 4, Target = 0 }));
        Assert.Equal("the device went away", e.Message);
        var (frames, _, _) = TestVideos.Inspect(Path.Combine(_dir, "out.mp4"));
        Assert.Equal(12, frames); // the frames read before the failure were finished and the video finalised
        Assert.Equal(12, File.ReadAllLines(Path.Combine(_dir, "timeline.jsonl")).Length);
    }

    private sealed class FailingSink(int frames) : IFrameSink
    {
        private int _seen;
        public void Write(Frame frame) { if (++_seen == frames) throw new InvalidOperationException("disk full"); }
        public void Complete() { }
        public void Dispose() { }
    }

    [Fact]
    public async Task AFailingSinkStopsEveryStageInsteadOfLeavingThemBlocked()
    {
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), 200);
        using var source = new VideoFileSource(clip);
        using var model = TestModels.RedDetector();
        var run = Replay(source, model, _dir, new PipelineOptions { BatchSize = 2, Target = 0, ChannelCapacity = 2 }, extra: new FailingSink(5));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.Same(run, finished);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Equal("disk full", e.Message);
        Assert.True(TestVideos.Inspect(Path.Combine(_dir, "out.mp4")).Frames >= 4); // finalised with what was written
    }

    [Fact]
    public async Task CorruptFramesAreSkippedCountedAndTheRestIsKept()
    {
        string folder = TestVideos.WriteFolder(Path.Combine(_dir, "frames"), 10);
        File.WriteAllBytes(Path.Combine(folder, "frame0004.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        using var source = new ImageFolderSource(folder, 10);
        using var model = TestModels.RedDetector();
        var run = await Replay(source, model, _dir, new PipelineOptions { BatchSize = 4, Target = 0 });
        Assert.Equal(1, run.Stats.Corrupt);
        Assert.Equal(9, run.Stats.Written);
        var lines = Lines(run.Timeline);
        Assert.Equal([0, 1, 2, 3, 5, 6, 7, 8, 9], lines.Select(l => l.GetProperty("frame").GetInt32()));
    }
}
