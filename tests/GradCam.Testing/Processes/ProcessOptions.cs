namespace GradCam.Testing;

/// <summary>How <see cref="ProcessRunner"/> starts a child.</summary>
public sealed record ProcessOptions
{
    /// <summary>The working folder; the test's when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables to set, or to remove (a null value).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Whether the test writes to the child's standard input.</summary>
    public bool RedirectStdin { get; init; }

    /// <summary>How long <see cref="ProcessRunner.Run"/> waits before it kills the child's tree and fails.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(15);
}
