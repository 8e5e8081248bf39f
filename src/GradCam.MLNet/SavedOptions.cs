using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;

namespace GradCam.MLNet;

/// <summary>
/// The options a saved transformer records: <see cref="GradCamOptions"/> itself, serialised as JSON (the model is saved
/// beside it as a model package, so only the spec's device and labels matter when it is read back).
/// </summary>
internal static class SavedOptions
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        IncludeFields = true, // value tuples (an ONNX input size)
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Write(Stream stream, GradCamOptions options) => JsonSerializer.Serialize(stream, options, s_json);

    public static GradCamOptions Read(Stream stream, string path)
    {
        var node = JsonNode.Parse(stream) as JsonObject ?? throw new InvalidDataException($"'{path}': its options are not a JSON object");
        var options = node.Deserialize<GradCamOptions>(s_json) ?? throw new InvalidDataException($"'{path}': empty options");
        if (node["explainer"] is null) ReadFlat(node, options);
        ReadTargetPolicy(node, options);
        return options;
    }

    /// <summary>Files written before targets were <see cref="GradCam.Engine.Targets.ExplainTarget"/>s named them by a policy.</summary>
    private static void ReadTargetPolicy(JsonObject node, GradCamOptions options)
    {
        switch (node["targetClassPolicy"]?.GetValue<string>())
        {
            case "Fixed":
                options.Target = GradCam.Engine.Targets.ExplainTarget.Class(node["targetClass"]?.GetValue<int>() ?? 0);
                break;
            case "FromColumn":
                options.TargetColumnName = node["targetClassInputColumnName"]?.GetValue<string>() ?? "Target";
                break;
        }
    }

    /// <summary>Files written before the options held an <see cref="ExplainerOptions"/> and a <see cref="ModelSpec"/> kept their fields flat.</summary>
    private static void ReadFlat(JsonObject node, GradCamOptions options)
    {
        options.Explainer = node.Deserialize<ExplainerOptions>(s_json)!; // method, flip, smoothing, seed and Score-CAM batch share their names
        options.Explainer.Layers = node["targetLayers"]?.Deserialize<string[]>(s_json)
                                   ?? (node["targetLayer"]?.GetValue<string>() is { Length: > 0 } layer ? [layer] : []);
        options.Explainer.Fusion = node["layerFusion"]?.Deserialize<LayerFusion>(s_json) ?? LayerFusion.Mean;
        options.Model = new ModelSpec
        {
            Device = node["device"]?.GetValue<string>() ?? "auto",
            Labels = node["labels"]?.Deserialize<string[]>(s_json),
        };
    }
}
