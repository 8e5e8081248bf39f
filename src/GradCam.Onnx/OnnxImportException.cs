namespace GradCam.Onnx;

/// <summary>An ONNX model that cannot be imported: an unsupported operator, a malformed graph or tensor, or an input
/// or output that does not fit. The message is one line naming the file, node or tensor.</summary>
public sealed class OnnxImportException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the node or tensor.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public OnnxImportException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>The setting that would fix the model's import (e.g. <c>ModelSpec.Input.InputSize</c>), when one would.</summary>
    public string? Setting { get; init; }
}
