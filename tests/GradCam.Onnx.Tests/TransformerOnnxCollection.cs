using Xunit;

namespace GradCam.Onnx.Tests;

/// <summary>The tests that share torchvision's vision transformers exported to ONNX (made once, cached by the script's hash).</summary>
[CollectionDefinition(Name)]
public sealed class TransformerOnnxCollection : ICollectionFixture<TransformerOnnxFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "torchvision transformer ONNX exports";
}
