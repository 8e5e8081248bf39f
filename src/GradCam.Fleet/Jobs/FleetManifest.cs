using System.Text.Json;

namespace GradCam.Fleet.Jobs;

/// <summary>
/// The drives of a fleet: a <c>fleet.json</c> manifest (<c>{"drives": [{"video": "a.mp4", "truth": "a.truth.json"}, ...]}</c>,
/// paths relative to it, as <c>dashcam render-fleet</c> writes), or a folder, whose <c>fleet.json</c> is read when it
/// has one and whose videos are the drives otherwise (with <c>NAME.truth.json</c> beside <c>NAME.mp4</c> as truth).
/// </summary>
public static class FleetManifest
{
    private static readonly string[] s_videoExtensions = [".mp4", ".avi", ".mkv", ".mov", ".m4v"];

    /// <summary>Reads the drives; paths come back absolute.</summary>
    /// <exception cref="FileNotFoundException">Neither a folder nor a manifest file.</exception>
    /// <exception cref="InvalidDataException">A manifest that is not one, or a folder without videos; the message names it.</exception>
    public static IReadOnlyList<FleetDriveSpec> Read(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            string manifest = Path.Combine(full, "fleet.json");
            if (File.Exists(manifest)) return ReadManifest(manifest);
            var videos = Directory.EnumerateFiles(full).Where(f => s_videoExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
            if (videos.Count == 0) throw new InvalidDataException($"fleet folder '{full}' holds no video (mp4, avi, mkv, mov) and no fleet.json");
            return videos.Select(v =>
            {
                string truth = Path.Combine(full, Path.GetFileNameWithoutExtension(v) + ".truth.json");
                return new FleetDriveSpec(Path.GetFileNameWithoutExtension(v), v, File.Exists(truth) ? truth : null);
            }).ToList();
        }
        if (File.Exists(full)) return ReadManifest(full);
        throw new FileNotFoundException($"fleet '{full}' not found (expected a folder of videos or a fleet.json manifest)", full);
    }

    private static IReadOnlyList<FleetDriveSpec> ReadManifest(string manifest)
    {
        string dir = Path.GetDirectoryName(manifest)!;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            var drives = doc.RootElement.GetProperty("drives").EnumerateArray().Select(d =>
            {
                string video = Path.GetFullPath(Path.Combine(dir, d.GetProperty("video").GetString()!));
                string? truth = d.TryGetProperty("truth", out var t) && t.GetString() is { } tp ? Path.GetFullPath(Path.Combine(dir, tp)) : null;
                return new FleetDriveSpec(Path.GetFileNameWithoutExtension(video), video, truth);
            }).ToList();
            if (drives.Count == 0) throw new InvalidDataException($"fleet manifest '{manifest}' lists no drive");
            if (drives.Select(d => d.Id).Distinct().Count() != drives.Count) throw new InvalidDataException($"fleet manifest '{manifest}' lists two drives with the same file name");
            return drives;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"fleet manifest '{manifest}' is not a fleet manifest ({{\"drives\": [{{\"video\": ..., \"truth\": ...}}]}}): {e.Message}", e);
        }
    }
}
