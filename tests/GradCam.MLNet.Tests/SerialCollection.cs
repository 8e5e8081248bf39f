using Xunit;

namespace GradCam.MLNet.Tests;

/// <summary>The tests of this assembly that run alone (see <see cref="TestCollections.Serial"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = TestCollections.Serial;
}
