using System.Diagnostics;
using System.Text;

namespace GradCam.Testing;

/// <summary>
/// A child process started by <see cref="ProcessRunner"/>: its output is drained as it comes (a full pipe never blocks
/// it), signals reach it with their default dispositions, and disposing kills what is left of its tree.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly StringBuilder _stdoutText = new();
    private readonly StringBuilder _stderrText = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    internal RunningProcess(Process process, string description)
    {
        Process = process;
        Description = description;
        _stdout = Drain(process.StandardOutput, _stdoutText);
        _stderr = Drain(process.StandardError, _stderrText);
    }

    /// <summary>The process.</summary>
    public Process Process { get; }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>The process id.</summary>
    public int Id => Process.Id;

    /// <summary>The exit code, once it has ended.</summary>
    public int ExitCode => Process.ExitCode;

    /// <summary>Whether it has ended.</summary>
    public bool HasExited => Process.HasExited;

    /// <summary>Its standard input (when started with <see cref="ProcessOptions.RedirectStdin"/>).</summary>
    public StreamWriter StandardInput => Process.StandardInput;

    /// <summary>Waits for the end; false when the time ran out (the process is left running).</summary>
    /// <param name="timeout">How long to wait.</param>
    public bool WaitForExit(TimeSpan timeout) => Process.WaitForExit(timeout);

    /// <summary>Waits for the end and returns what it wrote; kills its tree and throws when the time runs out.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <exception cref="TimeoutException">It did not end in time.</exception>
    public ProcessResult Finish(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"{Description} did not finish in {timeout.TotalMinutes:0.#} minutes; killed");
        }
        return new ProcessResult(Process.ExitCode, Stdout, Stderr);
    }

    /// <summary>Standard error: all of it once the process has ended, what it wrote so far before.</summary>
    public string Stderr => Text(_stderr, _stderrText);

    /// <summary>Standard output: all of it once the process has ended, what it wrote so far before.</summary>
    public string Stdout => Text(_stdout, _stdoutText);

    /// <summary>Waits until standard error holds a text; false when the process ended or the time ran out first.</summary>
    /// <param name="text">The text.</param>
    /// <param name="timeout">How long to wait.</param>
    public bool WaitForStderr(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Stderr.Contains(text, StringComparison.Ordinal)) return true;
            if (Process.HasExited) return Stderr.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Sends a signal (<c>INT</c>, <c>TERM</c>, <c>KILL</c>) to the process itself.</summary>
    /// <param name="signal">The signal's name.</param>
    /// <exception cref="InvalidOperationException">The process ignores the signal, so a test would fail for the wrong reason.</exception>
    public void Signal(string signal)
    {
        if (signal is "INT" or "TERM" && Ignores(signal))
            throw new InvalidOperationException(
                $"{Description} ignores SIG{signal}: it inherited an ignored disposition (a background job of a non-interactive shell) " +
                "and coreutils' env --default-signal is not there to restore it; run the tests from an interactive shell or install coreutils 8.31+");
        using var kill = Process.Start("kill", [$"-{signal}", Id.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>Sends Ctrl+C (SIGINT) as a terminal would and waits for the end.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>Whether it ended in time.</returns>
    public bool Interrupt(TimeSpan timeout)
    {
        Signal("INT");
        return Process.WaitForExit(timeout);
    }

    /// <summary>Kills the process and its children.</summary>
    public void Kill()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it ended meanwhile
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    private string Text(Task drained, StringBuilder text)
    {
        // Once the process has ended its pipes close: wait for the drain to read the last bytes.
        if (Process.HasExited) drained.Wait(TimeSpan.FromSeconds(30));
        lock (text) return text.ToString();
    }

    private static Task Drain(StreamReader reader, StringBuilder text) => Task.Run(async () =>
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
            lock (text) text.Append(buffer, 0, n);
    });

    /// <summary>Whether the process ignores a signal (Linux: the SigIgn mask of /proc/PID/status).</summary>
    private bool Ignores(string signal)
    {
        int number = signal == "INT" ? 2 : 15;
        try
        {
            string? line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            if (line is null) return false;
            ulong mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
            return (mask & (1UL << (number - 1))) != 0;
        }
        catch (IOException)
        {
            return false; // not Linux, or it ended
        }
    }
}
