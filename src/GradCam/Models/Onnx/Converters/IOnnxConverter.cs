namespace GradCam.Models.Onnx.Converters;

/// <summary>Turns one ONNX node into a TorchSharp module (onnx2torch's converter pattern).</summary>
internal interface IOnnxConverter
{
    /// <summary>Builds the module of a node.</summary>
    /// <param name="node">The node, its attributes and what is known of its inputs.</param>
    /// <exception cref="OnnxImportException">An attribute or input the converter cannot honour.</exception>
    OnnxOp Convert(OnnxNodeContext node);
}

/// <summary>
/// Registers a converter for an ONNX operator from an opset version on (repeat it for each version whose semantics
/// the converter handles); the converter serves every opset from that version until the next one registered.
/// </summary>
/// <param name="opType">The operator, e.g. <c>Conv</c>.</param>
/// <param name="sinceVersion">The opset version the operator's definition dates from.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
internal sealed class OnnxOpAttribute(string opType, int sinceVersion) : Attribute
{
    /// <summary>The operator.</summary>
    public string OpType { get; } = opType;

    /// <summary>The first opset version handled.</summary>
    public int SinceVersion { get; } = sinceVersion;

    /// <summary>The operator's domain: the default ONNX domain.</summary>
    public string Domain { get; init; } = "";
}
