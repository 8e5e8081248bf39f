namespace GradCam.Testing;

/// <summary>Runs a fixture script with Debian's Python (python3-torch, python3-onnx), killing it on a timeout.</summary>
public static class PythonScript
{
    /// <summary>Debian's Python, which has Debian's PyTorch (the <c>python3</c> on PATH may be another).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs a script of the fixtures folder where the fixtures are.</summary>
    /// <param name="script">The script's file name.</param>
    /// <param name="args">Its arguments.</param>
    public static void Run(string script, params string[] args) => RunIn(null, PyTorchFixture.PathOf(script), args);

    /// <summary>Runs the script at <paramref name="path"/> in <paramref name="workingDirectory"/> (where the fixture scripts write).</summary>
    /// <exception cref="InvalidOperationException">No Debian Python, or the script failed (its output in the message).</exception>
    public static ProcessResult RunIn(string? workingDirectory, string path, params string[] args)
    {
        string script = Path.GetFileName(path);
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} with Debian's python3-torch and python3-onnx is needed (./build.sh test installs them)");
        var result = ProcessRunner.Run(Python, [path, .. args], new ProcessOptions { WorkingDirectory = workingDirectory });
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({result.ExitCode}):\n{result.Stdout}\n{result.Stderr}");
        return result;
    }
}
