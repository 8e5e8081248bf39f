using System.Text.Json;
using System.Text.Json.Serialization;
using GradCam.Engine;
using GradCam.IO;

namespace GradCam.LiveView.Commands;

/// <summary>The <c>--json</c> document of <c>gradcam explain</c>: the same shape for every method (<c>cam</c> is the raw map).</summary>
internal sealed record ExplainJson(string Model, string Layer, string Method, IReadOnlyList<string> Layers, IReadOnlyList<ExplainJson.Result> Results)
{
    /// <summary>
    /// One image. Only when something is wrong: <c>error</c> (a model output that is not finite: then no numbers, JSON has
    /// no NaN) or <c>warning</c> (a truncated file, explained with its missing part grey).
    /// </summary>
    /// <remarks><c>target</c> is the class explained (-1 for an output element); <c>value</c> the number differentiated;
    /// for a detector, <c>detections</c> lists every box (image pixels) and <c>detection</c> is the rank explained.</remarks>
    public sealed record Result(string Image, int Target, string TargetLabel, string Formula, float? Value, IReadOnlyList<TopClass> TopK, int[] CamShape, float[][]? Cam,
                                [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
                                [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warning = null,
                                [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Detection = null,
                                [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Box>? Detections = null);

    /// <summary>A detected box in the image's pixels.</summary>
    public sealed record Box(int Rank, int Class, string Label, float Score, float[] Xyxy);

    public sealed record TopClass(int Index, string Label, float? Probability);

    public const string NonFinite = "the model's output is not finite (NaN or infinity): its weights or its input are broken";

    public const string Truncated = "the file ends before the image does: its missing part was decoded as grey";

    public static Result From(string image, Explanation e, int width, int height, string? warning = null)
    {
        double sx = (double)width / e.Heatmap.Width, sy = (double)height / e.Heatmap.Height;
        return new(image, e.TargetClass, e.TargetLabel, e.Target.Formula, e.IsFinite ? e.TargetLogit : null,
                   e.TopK.Select(c => new TopClass(c.Index, c.Label, e.IsFinite ? c.Probability : null)).ToArray(),
                   [e.Cam.Height, e.Cam.Width], e.IsFinite ? e.Cam.ToRows() : null, e.IsFinite ? null : NonFinite, warning,
                   e.Detection?.Rank,
                   e.Detections.Count == 0 ? null : e.Detections.Select(d => d.Box.Scaled(sx, sy) is var b
                       ? new Box(d.Rank, d.Class, d.Label, d.Score, [b.X1, b.Y1, b.X2, b.Y2]) : null!).ToArray());
    }

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes the document atomically: a reader never sees a half-written file.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            JsonSerializer.Serialize(stream, this, s_options);
        });
    }
}
