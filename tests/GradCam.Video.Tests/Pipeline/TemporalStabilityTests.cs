using System.Text.Json;
using GradCam.Engine;
using GradCam.Evaluation;
using GradCam.Imaging;
using GradCam.Video.Pipeline;
using GradCam.Video.Sinks;
using GradCam.Video.Sources;
using OpenCvSharp;
using Xunit;

namespace GradCam.Video.Tests.Pipeline;

/// <summary>
/// A replay measures how much the heat shown changes between explained frames, beside the scene: in its stats (for the
/// HUD and the summary), on each frame and timeline line, and per smoothing setting through a <see cref="StabilitySink"/>.
/// </summary>
public class TemporalStabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-stability-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class ChangeSink : IFrameSink
    {
        public readonly List<(long Frame, FrameChange? Change)> Seen = [];
        public void Write(Frame frame) => Seen.Add((frame.Index, frame.Change));
        public void Complete() { }
        public void Dispose() { }
    }

    private string StillClip(int frames)
    {
        string path = Path.Combine(_dir, "still.avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, 15, new Size(TestVideos.Width, TestVideos.Height));
        using var frame = TestVideos.Draw(3, 8);
        for (int i = 0; i < frames; i++) writer.Write(frame); // MJPG: each frame decodes the same
        return path;
    }

    [Fact]
    public async Task A_moving_square_changes_map_and_scene_and_smoothing_lowers_the_maps_change()
    {
        using var source = new VideoFileSource(TestVideos.Write(Path.Combine(_dir, "moving.avi"), 12));
        using var model = TestModels.RedDetector();
        using var explainer = new GradCamExplainer(model);
        var changes = new ChangeSink();
        var sweep = new StabilitySink(new SmoothingSweep([0f, 0.8f], HeatmapNormalization.Running));
        string timeline = Path.Combine(_dir, "timeline.jsonl");
        using var video = VideoExplainer.Replay(source, explainer, new PipelineOptions { Every = 2 })
            .Overlay(new OverlaySettings(), new HeatmapSmoother { Normalization = HeatmapNormalization.Running })
            .To(changes, sweep, new TimelineSink(timeline, new Size(TestVideos.Width, TestVideos.Height)));
        var stats = await video.RunAsync();

        // Every 2nd frame is explained: 6 maps, 5 pairs, each on the frame of the later map.
        Assert.Equal(5, stats.Stability.Pairs);
        Assert.Equal([2L, 4, 6, 8, 10], changes.Seen.Where(s => s.Change is not null).Select(s => s.Frame));
        Assert.True(stats.Stability.SceneChange > 0, "the square moves");
        Assert.True(stats.Stability.MapChange > 0, "the map follows it");
        Assert.Equal(stats.Stability.MapChange, changes.Seen.Where(s => s.Change is not null).Average(s => s.Change!.Value.Map), 9);
        Assert.Equal(stats.Stability, stats.RecentStability); // fewer pairs than the rolling window

        // The sweep's no-smoothing row is what the overlay showed; a strong EMA trails the square and changes less.
        var rows = sweep.Results;
        Assert.Equal(stats.Stability, rows[0].Stability);
        Assert.True(rows[1].Stability.MapChange < rows[0].Stability.MapChange, $"EMA 0.8 {rows[1].Stability.MapChange} vs none {rows[0].Stability.MapChange}");

        var lines = File.ReadAllLines(timeline).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(12, lines.Count);
        Assert.Equal([2L, 4, 6, 8, 10], lines.Where(l => l.TryGetProperty("change", out _)).Select(l => l.GetProperty("frame").GetInt64()));
        var first = changes.Seen.First(s => s.Change is not null).Change!.Value;
        Assert.Equal(Math.Round(first.Map, 4), lines[2].GetProperty("change").GetProperty("map").GetDouble(), 9);
        Assert.Equal(Math.Round(first.Scene, 4), lines[2].GetProperty("change").GetProperty("scene").GetDouble(), 9);
    }

    [Fact]
    public async Task A_still_clip_changes_by_nothing()
    {
        using var source = new VideoFileSource(StillClip(8));
        using var model = TestModels.RedDetector();
        using var explainer = new GradCamExplainer(model);
        using var video = VideoExplainer.Replay(source, explainer);
        var stats = await video.RunAsync();
        Assert.Equal(new TemporalStability(7, 0, 0, 0), stats.Stability);
        Assert.Null(stats.Stability.Ratio);
    }
}
