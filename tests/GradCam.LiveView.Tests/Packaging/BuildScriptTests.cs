using Xunit;

namespace GradCam.LiveView.Tests.Packaging;

/// <summary>
/// build.ps1, the Windows entry point, run by PowerShell 7 (the repository's local tool, <c>dotnet tool restore</c>) on a
/// copy of the source tree: <c>pack</c> restores, builds and packs every package, and <c>demo -Only render</c> runs the
/// demo's first step. The copy keeps the tests' own build outputs out of its way.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class BuildScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-buildps1-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void BuildPs1PacksEveryPackageAndRendersTheDemoDrive()
    {
        string root = RepositoryRoot();
        string copy = Path.Combine(_dir, "src");
        foreach (var file in ProcessRunner.Run("git", ["ls-files", "-co", "--exclude-standard"], new ProcessOptions { WorkingDirectory = root }).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string from = Path.Combine(root, file);
            if (!File.Exists(from)) continue; // deleted in the working tree
            string to = Path.Combine(copy, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
        }

        var restore = ProcessRunner.Run("dotnet", ["tool", "restore"], new ProcessOptions { WorkingDirectory = copy });
        Assert.True(restore.ExitCode == 0, restore.Output);
        var pack = ProcessRunner.Run("dotnet", ["pwsh", "-NoProfile", "-File", "build.ps1", "pack"], new ProcessOptions { WorkingDirectory = copy });
        Assert.True(pack.ExitCode == 0, pack.Output);
        var packages = Directory.GetFiles(Path.Combine(copy, "artifacts"), "*.nupkg").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(["GradCam.0.3.0.nupkg", "GradCam.Fleet.0.3.0.nupkg", "GradCam.MLNet.0.3.0.nupkg", "GradCam.Onnx.0.3.0.nupkg", "GradCam.OnnxRuntime.0.3.0.nupkg", "GradCam.Tool.0.3.0.nupkg", "GradCam.Tool.linux-x64.0.3.0.nupkg", "GradCam.Video.0.3.0.nupkg"], packages);

        string output = Path.Combine(_dir, "demo");
        var demo = ProcessRunner.Run("dotnet", ["pwsh", "-NoProfile", "-File", "build.ps1", "demo", "-Only", "render"], new ProcessOptions { WorkingDirectory = copy, Environment = new Dictionary<string, string?> { ["OUT"] = output } });
        Assert.True(demo.ExitCode == 0, demo.Output);
        Assert.Equal(450, TestVideos.Inspect(Path.Combine(output, "drive.mp4")).Frames);
        Assert.True(new FileInfo(Path.Combine(output, "truth.json")).Length > 0);
        Assert.False(Directory.Exists(Path.Combine(output, "investigation"))); // only the first step ran

        var usage = ProcessRunner.Run("dotnet", ["pwsh", "-NoProfile", "-File", "build.ps1", "launch"], new ProcessOptions { WorkingDirectory = copy });
        Assert.NotEqual(0, usage.ExitCode);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "build.ps1"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no build.ps1 above the tests");
    }
}
