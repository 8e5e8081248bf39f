namespace GradCam.Testing;

/// <summary>How a child process ended: its exit code and everything it wrote.</summary>
/// <param name="ExitCode">The exit code (128 + N when signal N ended it).</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output and error, one after the other.</summary>
    public string Output => Stdout + Stderr;
}
