using Xunit;

namespace GradCam.Testing;

/// <summary>
/// Tests whose outcome depends on timing (pipeline stages racing, a window's frame rate) run alone, not beside the
/// classes that spawn gradcam processes on this 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Timing-sensitive";
}
