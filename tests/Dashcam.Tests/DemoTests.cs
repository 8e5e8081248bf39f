using System.Diagnostics;
using Xunit;

namespace GradCam.Dashcam.Tests;

/// <summary><c>./build.sh demo</c>'s script, run as a user would after the build (it needs the Release build).</summary>
public class DemoTests
{
    [Fact]
    public void TheDemoFinishesAndItsOutputsExist()
    {
        string root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        string script = Path.Combine(root, "scripts", "demo.sh");
        Assert.True(File.Exists(script), script);
        string configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        string output = Directory.CreateTempSubdirectory("gradcam-demo-").FullName;
        try
        {
            var r = ProcessRunner.Run("bash", [script], new ProcessOptions
            {
                Environment = new Dictionary<string, string?> { ["OUT"] = output, ["CONFIG"] = configuration },
                TimeLimit = TimeSpan.FromMinutes(5),
            });
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Contains("red billboard", r.Stdout);
            Assert.Contains("report.html", r.Stdout);
            foreach (var file in new[] { "drive.mp4", "truth.json", "investigation/report.html", "investigation/annotated.mp4", "investigation/timeline.jsonl" })
                Assert.True(new FileInfo(Path.Combine(output, file)) is { Exists: true, Length: > 0 }, file);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
