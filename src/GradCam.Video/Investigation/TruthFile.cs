using System.Text.Json;
using GradCam.IO;

namespace GradCam.Video.Investigation;

/// <summary>
/// A recording's ground truth as JSON: an array with one <see cref="TruthFrame"/> per frame,
/// <c>[{"frame": 0, "timeS": 0, "event": false, "objects": [{"name": "stop sign", "x": 10, "y": 20, "width": 30, "height": 40, "reason": true}]}, ...]</c>.
/// </summary>
public static class TruthFile
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };

    /// <summary>Writes a truth file (replaced at once).</summary>
    public static void Save(IReadOnlyList<TruthFrame> truth, string path) =>
        AtomicFile.WriteText(path, JsonSerializer.Serialize(truth, s_json));

    /// <summary>Reads a truth file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not a truth file; the message names it.</exception>
    public static IReadOnlyList<TruthFrame> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"truth file '{path}' not found", path);
        try
        {
            var truth = JsonSerializer.Deserialize<List<TruthFrame>>(File.ReadAllText(path), s_json)
                        ?? throw new InvalidDataException($"truth file '{path}' is empty");
            if (truth.Any(t => t is null || t.Objects is null || t.Objects.Any(o => o is null || o.Name is null)))
                throw new InvalidDataException($"truth file '{path}' has a frame without objects or an object without a name");
            return truth;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"truth file '{path}' is not a truth file (a JSON array of frames with their objects): {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks that a truth belongs to a recording: one entry per frame, every box inside the frame size.
    /// </summary>
    /// <exception cref="InvalidDataException">It does not; the message says how.</exception>
    public static void CheckMatches(IReadOnlyList<TruthFrame> truth, string path, string clip, long? frames, int width, int height)
    {
        if (frames is long n && truth.Count != n)
            throw new InvalidDataException($"truth '{path}' covers {truth.Count} frames but clip '{clip}' has {n}: give the truth written with this clip");
        var boxes = truth.SelectMany(t => t.Objects).ToList();
        int right = boxes.Count == 0 ? 0 : boxes.Max(b => b.X + b.Width), bottom = boxes.Count == 0 ? 0 : boxes.Max(b => b.Y + b.Height);
        if (right > width || bottom > height)
            throw new InvalidDataException($"truth '{path}' has boxes reaching {right}x{bottom} pixels but clip '{clip}' is {width}x{height}: the truth belongs to another rendering");
    }
}
