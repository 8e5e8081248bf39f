using System.Diagnostics;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary>
/// No silent data loss: outputs are checked before any work, an existing file is replaced only by a complete one, an
/// output is never an input or another output, and a write that fails (a full disk) ends the run with one line and a
/// non-zero exit, leaving what was written before valid.
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-outputs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static void AssertOneLineError(ProcessResult r, string expected)
    {
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("gradcam: error")));
    }

    [Fact]
    public void ARunThatFailsLeavesExistingOutputsUntouched()
    {
        string clip = TestVideos.Write(P("clip.avi"), 6, fps: 10);
        var good = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--out", P("keep.mp4"), "--timeline", P("keep.jsonl"));
        Assert.True(good.ExitCode == 0, good.Stderr);
        byte[] video = File.ReadAllBytes(P("keep.mp4")), timeline = File.ReadAllBytes(P("keep.jsonl"));

        var bad = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--target", "5000", "--out", P("keep.mp4"), "--timeline", P("keep.jsonl"));
        AssertOneLineError(bad, "target class 5000 is out of range: resnet18 has 1000 classes (0..999)");
        Assert.DoesNotContain("(Parameter", bad.Stderr);
        Assert.Equal(video, File.ReadAllBytes(P("keep.mp4")));
        Assert.Equal(timeline, File.ReadAllBytes(P("keep.jsonl")));
        Assert.Equal(["clip.avi", "keep.jsonl", "keep.mp4"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AnOutputThatIsAnInputOrAnotherOutputIsRefusedBeforeAnything()
    {
        string clip = TestVideos.Write(P("clip.avi"), 4, fps: 10);
        byte[] original = File.ReadAllBytes(clip);
        AssertOneLineError(GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--out", clip, "--timeline", P("t.jsonl")),
                           "--out '" + clip + "' is an input of this command");
        Assert.Equal(original, File.ReadAllBytes(clip));
        AssertOneLineError(GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--out", P("x.mp4"), "--timeline", P("x.mp4")),
                           "--timeline and --out are the same file");
        Assert.False(File.Exists(P("x.mp4")));

        using var images = new TestImages();
        string image = images.Shapes("a.png");
        byte[] png = File.ReadAllBytes(image);
        AssertOneLineError(GradcamProcess.Run("explain", image, "--model", "resnet18", "--random-weights", "--json", image, "--out", P("figures")),
                           "--json '" + image + "' is an input of this command");
        Assert.Equal(png, File.ReadAllBytes(image));
        Assert.False(Directory.Exists(P("figures")));
    }

    [Fact]
    public void AnUnwritableOutputFailsFirstNamingTheRealPath()
    {
        string clip = TestVideos.Write(P("clip.avi"), 4, fps: 10);
        File.WriteAllText(P("file"), "not a folder");
        string timeline = Path.Combine(P("file"), "t.jsonl");
        var clock = Stopwatch.StartNew();
        var r = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--out", P("o.mp4"), "--timeline", timeline);
        AssertOneLineError(r, $"--timeline '{timeline}' cannot be written");
        Assert.DoesNotContain(".tmp.", r.Stderr);
        Assert.False(File.Exists(P("o.mp4")));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp.*"));

        using var images = new TestImages();
        string json = Path.Combine(P("file"), "out.json");
        var e = GradcamProcess.Run("explain", images.Shapes("a.png"), "--model", "resnet18", "--random-weights", "--json", json, "--out", P("figures"));
        AssertOneLineError(e, $"--json '{json}' cannot be written");
        Assert.False(Directory.Exists(P("figures"))); // refused before any image was explained
    }

    [Fact]
    public void AFolderOfImagesIsExplained()
    {
        using var images = new TestImages();
        string dir = Path.GetDirectoryName(images.Shapes("a.png"))!;
        images.Shapes("b.png");
        var r = GradcamProcess.Run("explain", dir, "--model", "resnet18", "--random-weights", "--out", P("figures"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(Path.Combine(P("figures"), "a.gradcam.png")));
        Assert.True(File.Exists(Path.Combine(P("figures"), "b.gradcam.png")));
        AssertOneLineError(GradcamProcess.Run("explain", _dir, "--model", "resnet18", "--random-weights", "--out", P("figures2")), "holds no image");
    }

    [SkippableFact]
    public void AFullDiskEndsTheRunWithAnErrorAndKeepsWhatWasWrittenValid()
    {
        string mount = P("small");
        Directory.CreateDirectory(mount);
        Skip.IfNot(Mount(mount), "mounting a 64 KB tmpfs is not allowed here (needs root and mount permission)");
        try
        {
            string clip = TestVideos.Write(P("clip.avi"), 90, fps: 10); // about 250 KB of video
            var r = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--out", Path.Combine(mount, "o.avi"), "--timeline", Path.Combine(mount, "t.jsonl"));
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("could not be written", r.Stderr);
            Assert.Contains("No space left on device", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr);
            Assert.DoesNotContain("done:", r.Stderr);
            // Whatever is under a final name is whole: a playable video, a timeline of whole JSON lines.
            if (File.Exists(Path.Combine(mount, "o.avi"))) Assert.True(TestVideos.Inspect(Path.Combine(mount, "o.avi")).Frames > 0);
            if (File.Exists(Path.Combine(mount, "t.jsonl")))
                foreach (var line in File.ReadAllLines(Path.Combine(mount, "t.jsonl"))) System.Text.Json.JsonDocument.Parse(line).Dispose();
            Assert.Empty(Directory.GetFiles(mount, "*.tmp.*"));
        }
        finally
        {
            using var umount = Process.Start("umount", [mount])!;
            umount.WaitForExit();
        }
    }

    private static bool Mount(string path)
    {
        try
        {
            using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", path]) { RedirectStandardError = true })!;
            mount.WaitForExit();
            return mount.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
