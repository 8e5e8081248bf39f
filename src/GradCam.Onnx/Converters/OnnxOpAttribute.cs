namespace GradCam.Onnx.Converters;

/// <summary>
/// Registers a converter for an ONNX operator at the opset versions whose semantics it handles: each version serves
/// every opset from that version until the next one registered (onnx2torch's keying).
/// </summary>
/// <param name="opType">The operator, e.g. <c>Conv</c>.</param>
/// <param name="sinceVersions">The opset versions the operator's definitions date from, e.g. <c>6, 13, 14</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
internal sealed class OnnxOpAttribute(string opType, params int[] sinceVersions) : Attribute
{
    /// <summary>The operator.</summary>
    public string OpType { get; } = opType;

    /// <summary>The opset versions handled, each from its version on.</summary>
    public IReadOnlyList<int> SinceVersions { get; } = sinceVersions.Length > 0
        ? sinceVersions
        : throw new ArgumentException($"operator {opType}: name at least one opset version", nameof(sinceVersions));

    /// <summary>The operator's domain: the default ONNX domain.</summary>
    public string Domain { get; init; } = "";
}
