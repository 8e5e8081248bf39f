using System.Text.Json;
using GradCam.Evaluation;

namespace GradCam.LiveView.Evaluation;

/// <summary>
/// Known object boxes for the pointing game: a JSON object mapping an image's file name (or a video's frame index)
/// to its target's boxes as <c>[x, y, width, height]</c> in image pixels, e.g. <c>{"cat.jpg": [[10, 20, 100, 80]]}</c>.
/// </summary>
internal static class BoxesFile
{
    public static IReadOnlyDictionary<string, IReadOnlyList<PixelBox>> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"boxes file '{path}' not found", path);
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"boxes file '{path}' is not JSON: {e.Message}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"boxes file '{path}' must be an object mapping image names to [[x, y, width, height], ...]");
            var boxes = new Dictionary<string, IReadOnlyList<PixelBox>>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Array)
                    throw new InvalidDataException($"boxes file '{path}': '{entry.Name}' must map to a list of [x, y, width, height]");
                boxes[entry.Name] = entry.Value.EnumerateArray().Select(b => Box(path, entry.Name, b)).ToArray();
            }
            return boxes;
        }
    }

    private static PixelBox Box(string path, string name, JsonElement b)
    {
        if (b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != 4 || b.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            throw new InvalidDataException($"boxes file '{path}': a box of '{name}' is not [x, y, width, height]");
        var v = b.EnumerateArray().Select(e => (int)Math.Round(e.GetDouble())).ToArray();
        if (v[2] <= 0 || v[3] <= 0) throw new InvalidDataException($"boxes file '{path}': a box of '{name}' has no area");
        return new PixelBox(v[0], v[1], v[2], v[3]);
    }
}
