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
            var psi = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.Environment["OUT"] = output;
            psi.Environment["CONFIG"] = configuration;
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            bool exited = p.WaitForExit(TimeSpan.FromMinutes(5));
            if (!exited) p.Kill(entireProcessTree: true);
            Assert.True(exited, "the demo did not finish in 5 minutes");
            Assert.True(p.ExitCode == 0, stderr.Result);
            Assert.Contains("red billboard", stdout.Result);
            Assert.Contains("report.html", stdout.Result);
            foreach (var file in new[] { "drive.mp4", "truth.json", "investigation/report.html", "investigation/annotated.mp4", "investigation/timeline.jsonl" })
                Assert.True(new FileInfo(Path.Combine(output, file)) is { Exists: true, Length: > 0 }, file);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
