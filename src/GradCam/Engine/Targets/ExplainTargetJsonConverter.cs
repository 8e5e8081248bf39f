using System.Text.Json;
using System.Text.Json.Serialization;

namespace GradCam.Engine.Targets;

/// <summary>Writes a target as its spelling (<c>"box:0"</c>, <c>"output:steer[0]"</c>, <c>"3"</c>) and reads it back with <see cref="ExplainTarget.Parse"/>.</summary>
public sealed class ExplainTargetJsonConverter : JsonConverter<ExplainTarget>
{
    /// <inheritdoc />
    public override ExplainTarget? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => ExplainTarget.Class(reader.GetInt32()),
        JsonTokenType.String => ExplainTarget.Parse(reader.GetString()!),
        _ => throw new JsonException($"a target is a string such as \"box:0\" or a class index, not {reader.TokenType}"),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ExplainTarget value, JsonSerializerOptions options)
    {
        if (value is MaskTarget) throw new NotSupportedException("a mask target holds pixels and cannot be saved as text");
        writer.WriteStringValue(value.ToString());
    }
}
