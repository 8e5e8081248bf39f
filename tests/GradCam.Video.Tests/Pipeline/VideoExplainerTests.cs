using GradCam.Engine;
using GradCam.Video.Pipeline;
using GradCam.Video.Sources;
using Xunit;

namespace GradCam.Video.Tests.Pipeline;

/// <summary>The builder's contract: it owns its sinks and stats, runs once, checks its options, and can be stopped before it starts.</summary>
public class VideoExplainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-video-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class CountingSink : IFrameSink
    {
        public int Written, Completed, Disposed;
        public void Write(Frame frame) => Written++;
        public void Complete() => Completed++;
        public void Dispose() => Disposed++;
    }

    [Fact]
    public async Task TheSinksAreCompletedWhenTheRunEndsAndDisposedWithTheExplainer()
    {
        using var source = new VideoFileSource(TestVideos.Write(Path.Combine(_dir, "clip.avi"), 6));
        using var model = TestModels.RedDetector();
        using var explainer = new GradCamExplainer(model);
        var a = new CountingSink();
        var b = new CountingSink();
        var video = VideoExplainer.Replay(source, explainer).To(a, b);
        Assert.Equal(6, video.ExpectedFrames);
        var stats = await video.RunAsync();
        Assert.Same(video.Stats, stats);
        Assert.Equal(6, stats.Written);
        Assert.False(video.WasStopped);
        Assert.Equal((6, 1, 0), (a.Written, a.Completed, a.Disposed));
        Assert.Equal((6, 1, 0), (b.Written, b.Completed, b.Disposed));
        await Assert.ThrowsAsync<InvalidOperationException>(() => video.RunAsync());
        video.Dispose();
        Assert.Equal(1, a.Disposed);
        Assert.Equal(1, b.Disposed);
    }

    [Fact]
    public async Task StoppedBeforeItStartsItReadsNothingAndSaysSo()
    {
        using var source = new VideoFileSource(TestVideos.Write(Path.Combine(_dir, "clip.avi"), 6));
        using var model = TestModels.RedDetector();
        using var explainer = new GradCamExplainer(model);
        var sink = new CountingSink();
        using var video = VideoExplainer.Live(source, explainer).To(sink);
        Assert.Null(video.ExpectedFrames); // live has no end to count to
        video.Stop();
        var stats = await video.RunAsync();
        Assert.Equal(0, stats.Captured);
        Assert.Equal(1, sink.Completed);
        Assert.True(video.WasStopped);
    }

    [Theory]
    [InlineData(0, 1, 1, "BatchSize")]
    [InlineData(1, 0, 1, "Every")]
    [InlineData(1, 1, 0, "TopK")]
    public void OptionsOutOfRangeAreRefusedNamingTheOption(int batch, int every, int topK, string name)
    {
        using var source = new VideoFileSource(TestVideos.Write(Path.Combine(_dir, "clip.avi"), 2));
        using var model = TestModels.RedDetector();
        using var explainer = new GradCamExplainer(model);
        var e = Assert.Throws<ArgumentException>(() => VideoExplainer.Replay(source, explainer, new PipelineOptions { BatchSize = batch, Every = every, TopK = topK }));
        Assert.Equal(name, e.ParamName);
    }
}
