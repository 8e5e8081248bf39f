using System.Security.Cryptography;
using Xunit;

namespace GradCam.LiveView.Tests.Packaging;

/// <summary><c>./build.sh prereqs --dry-run</c> says what the set-up would install or upgrade, and changes nothing.</summary>
public sealed class PrereqsDryRunTests
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "build.sh"))) return dir.FullName;
        throw new DirectoryNotFoundException("build.sh is not above the tests");
    }

    /// <summary>What apt and dpkg keep: the installed packages, the sources and the pins.</summary>
    private static string AptState() => string.Join('\n',
        new[] { "/var/lib/dpkg/status" }
            .Concat(Directory.Exists("/etc/apt/sources.list.d") ? Directory.GetFiles("/etc/apt/sources.list.d") : [])
            .Concat(Directory.Exists("/etc/apt/preferences.d") ? Directory.GetFiles("/etc/apt/preferences.d") : [])
            .Where(File.Exists).Order()
            .Select(f => $"{f} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public void TheDryRunPrintsWhatAptWouldDoAndChangesNothing()
    {
        Assert.True(File.Exists("/etc/debian_version"), "the set-up is Debian's: these tests run on Debian");
        string before = AptState();

        var dryRun = ProcessRunner.Run("bash", [Path.Combine(Root(), "build.sh"), "prereqs", "--dry-run"],
                                       new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(5) });
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        // This machine has been set up: the dry run says so for trixie's libstdc++ and for Debian 12's packages.
        Assert.Contains("GLIBCXX_3.4.32", dryRun.Stderr);
        Assert.Matches("every Debian 12 package the tests need is installed|apt would change", dryRun.Stderr);

        // The simulation itself, in a throw-away copy of apt's state, on a package this machine does not have.
        var simulated = ProcessRunner.Run("bash", ["-c", $"source '{Path.Combine(Root(), "build.sh")}' && apt_simulate trixie -t trixie cowsay"],
                                          new ProcessOptions { WorkingDirectory = Root(), TimeLimit = TimeSpan.FromMinutes(5) });
        Assert.True(simulated.ExitCode == 0, simulated.Output);
        Assert.Contains("  install cowsay ", simulated.Stdout);
        Assert.False(File.Exists("/usr/games/cowsay"), "the simulation installed cowsay");
        Assert.Equal(before, AptState());
    }
}
