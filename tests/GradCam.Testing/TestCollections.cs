namespace GradCam.Testing;

/// <summary>
/// The names of the test collections that run alone. xunit finds a collection's definition only in the test assembly
/// itself, so each test project declares the class (<c>SerialCollection</c>) with the name from here.
/// </summary>
public static class TestCollections
{
    /// <summary>Tests that measure process-wide quantities or timing (live tensors, resident memory, a pipeline's pace), away from the classes that spawn processes on this 2-core machine.</summary>
    public const string Serial = "Serial: process-wide measurements and timing";
}
