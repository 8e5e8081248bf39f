using System.Diagnostics;

namespace GradCam.LiveView.Tests;

/// <summary>Runs the real <c>gradcam</c> executable (built beside the tests) as a user would.</summary>
internal static class GradcamProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => RunWithStdin(null, args);

    public static Result RunWithStdin(string? stdinFile, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinFile is not null,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gradcam.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
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

    // libtorch warns once per process about NNPACK on CPUs without AVX2 support for it; that is not our output.
    private static string Clean(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => !l.Contains("NNPACK")));
}
