namespace GradCam.Onnx.Converters;

/// <summary>Turns one ONNX node into a TorchSharp module (onnx2torch's converter pattern).</summary>
internal interface IOnnxConverter
{
    /// <summary>Builds the module of a node.</summary>
    /// <param name="node">The node, its attributes and what is known of its inputs.</param>
    /// <exception cref="OnnxImportException">An attribute or input the converter cannot honour.</exception>
    OnnxOp Convert(OnnxNodeContext node);
}
