namespace GradCam.Testing;

/// <summary>Runs the real <c>gradcam</c> executable (built beside the tests) as a user would.</summary>
public static class GradcamProcess
{
    /// <summary>How long a run may take before it is killed.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(5);

    /// <summary>Runs gradcam to its end.</summary>
    /// <param name="args">The command line after <c>gradcam</c>.</param>
    public static ProcessResult Run(params string[] args) => Run(null, new Dictionary<string, string?>(), args);

    /// <summary>Runs gradcam with a file as its standard input.</summary>
    /// <param name="stdinFile">The file piped in.</param>
    /// <param name="args">The command line after <c>gradcam</c>.</param>
    public static ProcessResult RunWithStdin(string? stdinFile, params string[] args) => Run(stdinFile, new Dictionary<string, string?>(), args);

    /// <summary>Runs gradcam with some environment variables set (or removed, with null).</summary>
    /// <param name="environment">The variables.</param>
    /// <param name="args">The command line after <c>gradcam</c>.</param>
    public static ProcessResult RunWithEnvironment(Dictionary<string, string?> environment, params string[] args) => Run(null, environment, args);

    /// <summary>Starts gradcam without waiting, for tests that interrupt it.</summary>
    /// <param name="args">The command line after <c>gradcam</c>.</param>
    public static RunningProcess Start(params string[] args) => Start(redirectStdin: false, args, new Dictionary<string, string?>());

    /// <summary>Where a replay's timeline grows until it is complete and moved into place.</summary>
    /// <param name="path">The final path.</param>
    public static string Pending(string path) => path + ".tmp" + Path.GetExtension(path);

    /// <summary>Waits until the pending file at <paramref name="path"/> has <paramref name="lines"/> lines; false if the process ended first.</summary>
    public static bool WaitForLines(RunningProcess p, string path, int lines, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string pending = Pending(path);
        while (DateTime.UtcNow < deadline && !p.HasExited)
        {
            try
            {
                if (File.Exists(pending) && File.ReadAllLines(pending).Length >= lines) return true;
            }
            catch (IOException)
            {
                // moved into place while reading
            }
            Thread.Sleep(50);
        }
        return false;
    }

    private static ProcessResult Run(string? stdinFile, Dictionary<string, string?> environment, string[] args)
    {
        using var p = Start(stdinFile is not null, args, environment);
        if (stdinFile is not null)
        {
            using (var input = File.OpenRead(stdinFile)) input.CopyTo(p.StandardInput.BaseStream);
            p.StandardInput.Close();
        }
        var result = p.Finish(TimeLimit);
        return result with { Stderr = Clean(result.Stderr) };
    }

    private static RunningProcess Start(bool redirectStdin, string[] args, Dictionary<string, string?> environment) =>
        ProcessRunner.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "GradCam.LiveView.dll"), .. args],
                            new ProcessOptions { RedirectStdin = redirectStdin, Environment = environment });

    // libtorch warns once per process about NNPACK on CPUs without AVX2 support for it; that is not our output.
    private static string Clean(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => !l.Contains("NNPACK")));
}
