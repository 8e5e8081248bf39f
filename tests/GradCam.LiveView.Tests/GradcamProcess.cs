using System.Diagnostics;

namespace GradCam.LiveView.Tests;

/// <summary>Runs the real <c>gradcam</c> executable (built beside the tests) as a user would.</summary>
internal static class GradcamProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWithStdin(null, args);

    public static Result RunWithStdin(string? stdinFile, params string[] args) => Run(stdinFile, new Dictionary<string, string?>(), args);

    /// <summary>Runs gradcam with some environment variables set (or removed, with null).</summary>
    public static Result RunWithEnvironment(Dictionary<string, string?> environment, params string[] args) => Run(null, environment, args);

    private static Result Run(string? stdinFile, Dictionary<string, string?> environment, string[] args)
    {
        using var p = Start(stdinFile is not null, args, environment);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
        {
            using (var input = File.OpenRead(stdinFile)) input.CopyTo(p.StandardInput.BaseStream);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"gradcam {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, Clean(stderr.Result));
    }

    /// <summary>Starts gradcam without waiting, output redirected, for tests that interrupt it.</summary>
    public static Process Start(params string[] args) => Start(redirectStdin: false, args, new Dictionary<string, string?>());

    /// <summary>Sends Ctrl+C (SIGINT) as a terminal would, and waits up to a minute for the process to end.</summary>
    public static bool Interrupt(Process p)
    {
        Signal(p, "INT");
        return p.WaitForExit(TimeSpan.FromMinutes(1));
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>, <c>KILL</c>) to the process itself.</summary>
    public static void Signal(Process p, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", p.Id.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>Where a replay's timeline grows until it is complete and moved into place.</summary>
    public static string Pending(string path) => path + ".tmp" + Path.GetExtension(path);

    /// <summary>Waits until the pending file at <paramref name="path"/> has <paramref name="lines"/> lines; false if the process ended first.</summary>
    public static bool WaitForLines(Process p, string path, int lines, TimeSpan timeout)
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

    private static Process Start(bool redirectStdin, string[] args, Dictionary<string, string?> environment)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GradCam.LiveView.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        return Process.Start(psi)!;
    }

    // libtorch warns once per process about NNPACK on CPUs without AVX2 support for it; that is not our output.
    private static string Clean(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => !l.Contains("NNPACK")));
}
