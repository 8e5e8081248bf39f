using System.Text.Json;
using GradCam.Dashcam.World;
using GradCam.Video.Investigation;
using Xunit;

namespace GradCam.Dashcam.Tests.World;

/// <summary>The fleet: different drives from one seed, every kind of object somewhere, red billboards in some drives only.</summary>
public sealed class FleetDriveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-fleet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DrivesDifferAndTheFleetHoldsEveryKindOfObject()
    {
        var drives = Enumerable.Range(0, 50).Select(seed => new FleetDrive(seed)).ToList();
        Assert.True(drives.Select(d => string.Join(",", d.Objects)).Distinct().Count() >= 48, "drives repeat each other");
        Assert.All(drives, d => Assert.True(d.Objects.Count >= 3, $"drive {d.Seed} has {d.Objects.Count} objects"));
        int withRed = drives.Count(d => d.HasRedBillboards);
        Assert.InRange(withRed, 15, 35);
        Assert.All(drives.Where(d => d.HasRedBillboards), d => Assert.Contains("red billboard", d.Objects));
        Assert.All(drives.Where(d => !d.HasRedBillboards), d => Assert.DoesNotContain("red billboard", d.Objects));
        var kinds = drives.SelectMany(d => d.Objects).ToHashSet();
        foreach (var kind in new[] { "pedestrian", "car ahead", "oncoming car", "stop sign", "tumbleweed", "red traffic light", "green traffic light", "billboard", "red billboard" })
            Assert.Contains(kind, kinds);
        // The same seed is the same drive.
        Assert.Equal(new FleetDrive(7).Objects, new FleetDrive(7).Objects);
    }

    [Fact]
    public void EachDrivesTruthFollowsTheStopRuleAndSomeDrivesStop()
    {
        int drivesWithStops = 0;
        foreach (int seed in Enumerable.Range(100, 12))
        {
            var drive = new FleetDrive(seed);
            var labels = Enumerable.Range(0, drive.Frames).Select(i => StopRule.IsStop(drive.At(i / Drive.Fps))).ToList();
            if (labels.Any(l => l)) drivesWithStops++;
        }
        Assert.InRange(drivesWithStops, 4, 12);
    }

    [Fact]
    public void RenderFleetWritesEveryDriveWithItsTruthAndAManifest()
    {
        string manifest = FleetRecorder.Record(_dir, drives: 3, seed: 11, seconds: 3);
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        var entries = doc.RootElement.GetProperty("drives").EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        foreach (var e in entries)
        {
            string video = Path.Combine(_dir, e.GetProperty("video").GetString()!), truthPath = Path.Combine(_dir, e.GetProperty("truth").GetString()!);
            var truth = TruthFile.Load(truthPath);
            Assert.Equal(45, truth.Count);
            using var capture = new OpenCvSharp.VideoCapture(video);
            Assert.Equal(45, (int)capture.Get(OpenCvSharp.VideoCaptureProperties.FrameCount));
            Assert.Equal((320, 180), (capture.FrameWidth, capture.FrameHeight));
            TruthFile.CheckMatches(truth, truthPath, video, 45, 320, 180);
        }
        Assert.Equal(3, entries.Select(e => e.GetProperty("seed").GetInt32()).Distinct().Count());
    }
}
