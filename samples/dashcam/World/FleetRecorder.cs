using System.Text.Json;
using GradCam.IO;

namespace GradCam.Dashcam.World;

/// <summary>
/// Renders a fleet of different drives (<see cref="FleetDrive"/>), each a video with its truth file, and a manifest
/// <c>fleet.json</c> listing them: the input of a fleet investigation.
/// </summary>
public static class FleetRecorder
{
    /// <summary>One drive in the manifest (paths relative to the manifest).</summary>
    public sealed record DriveEntry(string Video, string Truth, int Seed, int Frames, bool RedBillboards, IReadOnlyList<string> Objects);

    /// <summary>The manifest.</summary>
    public sealed record Manifest(int Seed, double Seconds, int Width, int Height, IReadOnlyList<DriveEntry> Drives);

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Renders <paramref name="drives"/> drives into <paramref name="dir"/>; returns the manifest's path.</summary>
    public static string Record(string dir, int drives, int seed, double seconds = 20, int width = 320, int height = 180, TextWriter? log = null)
    {
        if (drives < 1 || drives > 10_000) throw new ArgumentException($"--drives must be 1 to 10000, got {drives}");
        if (!(seconds >= 1 && seconds <= 600)) throw new ArgumentException($"--seconds must be 1 to 600, got {seconds}");
        Directory.CreateDirectory(dir);
        var entries = new List<DriveEntry>();
        for (int i = 0; i < drives; i++)
        {
            int driveSeed = unchecked(seed * 1_000_003 + i);
            var drive = new FleetDrive(driveSeed, seconds);
            string video = $"drive-{i:D4}.mp4", truth = $"drive-{i:D4}.truth.json";
            DriveRecorder.Record(Path.Combine(dir, video), Path.Combine(dir, truth), drive.At, drive.Frames, width, height);
            entries.Add(new DriveEntry(video, truth, driveSeed, drive.Frames, drive.HasRedBillboards, drive.Objects));
            log?.WriteLine($"rendered drive {i + 1}/{drives}: {drive.Frames} frames, {drive.Objects.Count} objects{(drive.HasRedBillboards ? ", red billboards" : "")}");
        }
        string manifest = Path.Combine(dir, "fleet.json");
        AtomicFile.WriteText(manifest, JsonSerializer.Serialize(new Manifest(seed, seconds, width, height, entries), s_json));
        return manifest;
    }
}
