using Xunit;

namespace GradCam.OnnxRuntime.Tests;

/// <summary>The tests that share the torchvision networks exported to ONNX (made once, cached by the script's hash).</summary>
[CollectionDefinition(Name)]
public sealed class TorchvisionOnnxCollection : ICollectionFixture<TorchvisionOnnxFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "torchvision ONNX exports";
}
