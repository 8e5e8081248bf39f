using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace GradCam.Cli.Tests.Commands;

/// <summary>`gradcam live`'s window (WindowSink) under a virtual X display (Debian's xvfb, installed by ./build.sh test).</summary>
[Collection(SerialCollection.Name)]
public class LiveWindowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-window-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LiveWindowShowsEveryFrameOfAShortClipAndCloses()
    {
        Assert.True(File.Exists("/usr/bin/xvfb-run"), "xvfb-run is missing: ./build.sh test installs Debian's xvfb");
        string clip = TestVideos.Write(Path.Combine(_dir, "clip.avi"), 15, fps: 15);
        var psi = new ProcessStartInfo("xvfb-run")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-a", "-s", "-screen 0 640x480x24", "dotnet", Path.Combine(AppContext.BaseDirectory, "GradCam.Cli.dll"),
                                  "live", "--input", clip, "--model", "resnet18", "--random-weights", "--timeline", Path.Combine(_dir, "t.jsonl") })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        bool exited = p.WaitForExit(TimeSpan.FromMinutes(2));
        if (!exited) p.Kill(entireProcessTree: true); // never leave a window and a virtual display behind
        Assert.True(exited, "the window did not close when the clip ended");
        string err = stderr.Result;
        Assert.True(p.ExitCode == 0, err);
        var shown = Regex.Match(err, @"(\d+) shown in the window");
        Assert.True(shown.Success, err);
        int n = int.Parse(shown.Groups[1].Value);
        Assert.InRange(n, 5, 15); // a live window may skip frames when drawing falls behind on a loaded machine
        Assert.Equal(n, File.ReadAllLines(Path.Combine(_dir, "t.jsonl")).Length);
    }
}
