using System.Diagnostics;

namespace GradCam.LiveView.Tests;

/// <summary>Runs another program (dotnet, pwsh, git) to completion with a time limit, its output drained and returned.</summary>
internal static class ChildProcess
{
    public static (int ExitCode, string Output) Run(string file, string workingDirectory, params string[] args) =>
        Run(file, workingDirectory, new Dictionary<string, string>(), args);

    public static (int ExitCode, string Output) Run(string file, string workingDirectory, Dictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (!p.WaitForExit(TimeSpan.FromMinutes(15))) throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 15 minutes");
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
