using Xunit;

namespace GradCam.Onnx.Tests.Targets;

/// <summary>The tests that share the detector, regressor and segmenter fixtures.</summary>
[CollectionDefinition(Name)]
public sealed class TargetModelsCollection : ICollectionFixture<TargetModelsFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "target models";
}
