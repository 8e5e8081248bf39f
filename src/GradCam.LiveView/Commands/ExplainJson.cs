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
    public sealed record Result(string Image, int Target, string TargetLabel, IReadOnlyList<TopClass> TopK, int[] CamShape, float[][]? Cam,
                                [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
                                [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Warning = null);

    public sealed record TopClass(int Index, string Label, float? Probability);

    public const string NonFinite = "the model's output is not finite (NaN or infinity): its weights or its input are broken";

    public const string Truncated = "the file ends before the image does: its missing part was decoded as grey";

    public static Result From(string image, Explanation e, string? warning = null) => new(
        image, e.TargetClass, e.TargetLabel,
        e.TopK.Select(c => new TopClass(c.Index, c.Label, e.IsFinite ? c.Probability : null)).ToArray(),
        [e.Cam.Height, e.Cam.Width], e.IsFinite ? e.Cam.ToRows() : null, e.IsFinite ? null : NonFinite, warning);

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
