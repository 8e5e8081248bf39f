using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

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
        // The runner kills the tree on its time limit: never a window and a virtual display left behind.
        var r = ProcessRunner.Run("xvfb-run", ["-a", "-s", "-screen 0 640x480x24", "dotnet", Path.Combine(AppContext.BaseDirectory, "GradCam.LiveView.dll"),
                                               "live", "--input", clip, "--model", "resnet18", "--random-weights", "--timeline", Path.Combine(_dir, "t.jsonl")],
                                  new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(2) });
        string err = r.Stderr;
        Assert.True(r.ExitCode == 0, err);
        var shown = Regex.Match(err, @"(\d+) shown in the window");
        Assert.True(shown.Success, err);
        int n = int.Parse(shown.Groups[1].Value);
        Assert.InRange(n, 5, 15); // a live window may skip frames when drawing falls behind on a loaded machine
        Assert.Equal(n, File.ReadAllLines(Path.Combine(_dir, "t.jsonl")).Length);
    }

    /// <summary>
    /// The README's keys, pressed on the real window through the X server (xdotool): m cycles the colormap, o toggles
    /// the overlay, space pauses and resumes, q quits long before a 40-second clip ends, leaving a complete timeline.
    /// </summary>
    [Fact]
    public void TheWindowsKeysDoWhatTheReadmeSays()
    {
        Assert.True(File.Exists("/usr/bin/xdotool"), "xdotool is missing: ./build.sh test installs it");
        string clip = TestVideos.Write(Path.Combine(_dir, "long.avi"), 600, fps: 15);
        string timeline = Path.Combine(_dir, "keys.jsonl"), errors = Path.Combine(_dir, "stderr.txt");
        string cli = Path.Combine(AppContext.BaseDirectory, "GradCam.LiveView.dll");
        // One X session for the window and the key presses; the window has the focus before any key.
        string script = $"""
            dotnet '{cli}' live --input '{clip}' --model resnet18 --random-weights --timeline '{timeline}' 2>'{errors}' &
            pid=$!
            window=$(timeout 120 xdotool search --sync --name '^gradcam - ' | head -1)
            xdotool windowfocus --sync "$window"
            sleep 1
            for key in m o space space q; do xdotool key "$key"; sleep 0.7; done
            wait $pid
            """;
        var r = ProcessRunner.Run("xvfb-run", ["-a", "-s", "-screen 0 640x480x24", "sh", "-c", script], new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(3) });
        string err = File.Exists(errors) ? File.ReadAllText(errors) : "";
        Assert.True(r.ExitCode == 0, err + r.Output);
        var notices = Regex.Matches(err, @"window: (.+)").Select(m => m.Groups[1].Value.Trim()).ToArray();
        Assert.Equal(["colormap Coolwarm", "overlay off", "paused", "resumed", "quit"], notices);
        var shown = Regex.Match(err, @"(\d+) shown in the window");
        Assert.True(shown.Success, err);
        Assert.InRange(int.Parse(shown.Groups[1].Value), 1, 400); // quit long before the clip's 600 frames
        var lines = File.ReadAllLines(timeline);
        Assert.NotEmpty(lines);
        foreach (var line in lines) System.Text.Json.JsonDocument.Parse(line).Dispose(); // complete lines only
    }
}
