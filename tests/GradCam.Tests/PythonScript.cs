using System.Diagnostics;

namespace GradCam.Tests;

/// <summary>Runs a fixture script with Debian's Python (python3-torch, python3-onnx), killing it on a timeout.</summary>
internal static class PythonScript
{
    public const string Python = "/usr/bin/python3";

    public static void Run(string script, params string[] args) => RunIn(null, PyTorchFixture.PathOf(script), args);

    /// <summary>Runs the script at <paramref name="path"/> in <paramref name="workingDirectory"/> (where the fixture scripts write).</summary>
    public static void RunIn(string? workingDirectory, string path, params string[] args)
    {
        string script = Path.GetFileName(path);
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} with Debian's python3-torch and python3-onnx is needed (./build.sh test installs them)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add(path);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} took over 15 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }
}
