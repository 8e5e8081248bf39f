using System.Runtime.InteropServices;
using Xunit;

namespace GradCam.LiveView.Tests.Testing;

/// <summary>The testing kit's process runner: what the signal, interrupt and timeout tests of every project stand on.</summary>
[Collection(SerialCollection.Name)] // one test changes this process's SIGINT disposition for a moment
public sealed partial class ProcessRunnerTests
{
    [Fact]
    public void OutputIsDrainedWhileTheChildRuns()
    {
        // A megabyte on stdout fills any pipe buffer: a runner that read only at the end would hang here.
        var r = ProcessRunner.Run("sh", ["-c", "head -c 1000000 /dev/zero | tr '\\0' a; echo done >&2; exit 3"],
                                  new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(1) });
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(1_000_000, r.Stdout.Length);
        Assert.Equal("done\n", r.Stderr);
    }

    [Fact]
    public void TheTimeLimitKillsTheWholeTree()
    {
        string marker = Path.Combine(Path.GetTempPath(), $"gradcam-runner-{Guid.NewGuid():N}");
        var e = Assert.Throws<TimeoutException>(() => ProcessRunner.Run("sh", ["-c", $"(sleep 5; touch '{marker}') & sleep 60"],
                                                                         new ProcessOptions { TimeLimit = TimeSpan.FromSeconds(1) }));
        Assert.Contains("did not finish", e.Message);
        Thread.Sleep(6000);
        Assert.False(File.Exists(marker), "a grandchild outlived the kill");
    }

    [Fact]
    public void CtrlCReachesAChildEvenWhenTheTestsRunWithSigintIgnored()
    {
        // As in a background job of a non-interactive shell: this process ignores SIGINT, so its children would too.
        var ignore = new SigAction { Handler = 1 }; // SIG_IGN
        Assert.Equal(0, sigaction(2, ref ignore, out var previous));
        RunningProcess child;
        try
        {
            child = ProcessRunner.Start("sleep", ["60"]);
        }
        finally
        {
            sigaction(2, ref previous, out _);
        }
        using (child)
        {
            Assert.True(child.Interrupt(TimeSpan.FromSeconds(10)), "SIGINT did not end the child: its default disposition was not restored");
            Assert.Equal(130, child.ExitCode);
        }
    }

    [Fact]
    public void SignallingAChildThatIgnoresTheSignalFailsSayingSo()
    {
        using var child = ProcessRunner.Start("sh", ["-c", "trap '' INT; exec sleep 60"]);
        Thread.Sleep(300); // the trap is set before sleep starts
        var e = Assert.Throws<InvalidOperationException>(() => child.Signal("INT"));
        Assert.Contains("ignores SIGINT", e.Message);
    }

    /// <summary>glibc's <c>struct sigaction</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct SigAction
    {
        public nint Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public nint Restorer;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigaction(int signal, ref SigAction action, out SigAction previous);
}
