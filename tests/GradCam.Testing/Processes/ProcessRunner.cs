using System.Diagnostics;

namespace GradCam.Testing;

/// <summary>
/// Starts the programs tests run (gradcam, dashcam, python, dotnet, pwsh, PostgreSQL): output drained, a time limit
/// that kills the whole tree, and SIGINT and SIGTERM at their default dispositions. A process started with <c>&amp;</c> in
/// a non-interactive shell inherits SIGINT ignored, and so would every child; coreutils' <c>env --default-signal</c>
/// restores the defaults, so a test that sends Ctrl+C tests the program, not the shell that started the tests.
/// </summary>
public static class ProcessRunner
{
    private const string Env = "/usr/bin/env";

    private static readonly Lazy<bool> s_canRestoreSignals = new(() =>
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Env)) return false;
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(Env) { ArgumentList = { "--default-signal=INT,TERM", "true" }, RedirectStandardError = true })!;
            probe.WaitForExit(TimeSpan.FromSeconds(10));
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Starts a program and returns at once.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="options">Working folder, environment, standard input.</param>
    public static RunningProcess Start(string file, IEnumerable<string> args, ProcessOptions? options = null)
    {
        options ??= new ProcessOptions();
        var argList = args.ToList();
        bool restore = s_canRestoreSignals.Value;
        var psi = new ProcessStartInfo(restore ? Env : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = options.RedirectStdin,
            UseShellExecute = false,
        };
        if (restore)
        {
            psi.ArgumentList.Add("--default-signal=INT,TERM");
            psi.ArgumentList.Add(file);
        }
        foreach (string a in argList) psi.ArgumentList.Add(a);
        if (options.WorkingDirectory is not null) psi.WorkingDirectory = options.WorkingDirectory;
        foreach (var (name, value) in options.Environment)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        // env execs the program: the process tests see is the program itself, with its own pid, once the exec is done.
        var process = Process.Start(psi)!;
        if (restore) WaitForExec(process);
        return new RunningProcess(process, $"{Path.GetFileName(file)} {string.Join(' ', argList)}");
    }

    /// <summary>Waits (briefly) until env has reset the signals and replaced itself by the program, so that a signal sent next meets the program.</summary>
    private static void WaitForExec(Process process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if (new FileInfo($"/proc/{process.Id}/exe").LinkTarget is { } exe && !exe.EndsWith("/env", StringComparison.Ordinal)) return;
            }
            catch (IOException)
            {
                return; // it ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>Runs a program to its end within <see cref="ProcessOptions.TimeLimit"/>.</summary>
    /// <param name="file">The program.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="options">Working folder, environment, time limit.</param>
    /// <exception cref="TimeoutException">It did not finish in time (its tree is killed).</exception>
    public static ProcessResult Run(string file, IEnumerable<string> args, ProcessOptions? options = null)
    {
        options ??= new ProcessOptions();
        using var process = Start(file, args, options);
        return process.Finish(options.TimeLimit);
    }
}
