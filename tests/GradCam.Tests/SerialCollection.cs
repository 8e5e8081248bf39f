using Xunit;

namespace GradCam.Tests;

/// <summary>Tests that measure process-wide quantities (live tensor count, resident memory) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Process-wide measurements";
}
