using System.Text.Json;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

public class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [Fact]
    public void ReplaysAVideoIntoAnAnnotatedVideoAndATimeline()
    {
        string clip = TestVideos.Write(P("drive.mp4"), 20, fps: 10);
        var r = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--out", P("out.mp4"),
                                   "--timeline", P("t.jsonl"), "--batch", "4", "--top", "3");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var (frames, size, fps) = TestVideos.Inspect(P("out.mp4"));
        Assert.Equal(20, frames);
        Assert.Equal(new OpenCvSharp.Size(TestVideos.Width, TestVideos.Height), size);
        Assert.Equal(10, fps, 1);
        var lines = File.ReadAllLines(P("t.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(20, lines.Length);
        Assert.Equal(3, lines[0].GetProperty("topK").GetArrayLength());
        Assert.Contains("frames 20/20", r.Stderr);
        Assert.Contains("done: 20 frames, 20 explained", r.Stderr);
        // The run's temporal stability: the mean of the timeline's per-frame changes (19 pairs), beside the scene's.
        var changes = lines.Where(l => l.TryGetProperty("change", out _)).Select(l => l.GetProperty("change")).ToArray();
        Assert.Equal(19, changes.Length);
        var stability = System.Text.RegularExpressions.Regex.Match(r.Stderr, @"temporal stability: the heat shown changed by ([\d.]+) \(1 - correlation\) per explained frame, the scene by ([\d.]+) \(");
        Assert.True(stability.Success, r.Stderr);
        Assert.Equal(changes.Average(c => c.GetProperty("map").GetDouble()), double.Parse(stability.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 3);
        Assert.Equal(changes.Average(c => c.GetProperty("scene").GetDouble()), double.Parse(stability.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public void ReplaysWithAnotherMethodFlipAveraged()
    {
        string clip = TestVideos.Write(P("m.avi"), 6, fps: 10);
        var r = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--method", "layercam", "--flip", "--layer", "layer3,layer4",
                                   "--out", P("m-out.avi"), "--timeline", P("m.jsonl"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("LayerCAM at layer3+layer4 (mean of normalised maps), flip-averaged", r.Stderr);
        Assert.Equal(6, TestVideos.Inspect(P("m-out.avi")).Frames);
        Assert.Equal(6, File.ReadAllLines(P("m.jsonl")).Length);
    }

    [Fact]
    public void OverlayOptionsChangeTheDrawingAndStillWriteEveryFrame()
    {
        string clip = TestVideos.Write(P("o.avi"), 5, fps: 10);
        string[] common = ["replay", clip, "--model", "resnet18", "--random-weights", "--timeline", P("ot.jsonl")];
        var plain = GradcamProcess.Run([.. common, "--out", P("plain.avi")]);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var styled = GradcamProcess.Run([.. common, "--out", P("styled.avi"), "--colormap", "Turbo", "--alpha", "0.3", "--edges",
                                         "--normalize", "Fixed", "--cam-scale", "2", "--no-hud", "--ema", "0.5"]);
        Assert.True(styled.ExitCode == 0, styled.Stderr);
        Assert.Equal(5, TestVideos.Inspect(P("styled.avi")).Frames);
        using var a = new OpenCvSharp.VideoCapture(P("plain.avi"));
        using var b = new OpenCvSharp.VideoCapture(P("styled.avi"));
        using var fa = new OpenCvSharp.Mat();
        using var fb = new OpenCvSharp.Mat();
        Assert.True(a.Read(fa) && b.Read(fb));
        // The HUD's dark band is gone, and the frame is drawn otherwise (edges under another colormap).
        using var bandA = new OpenCvSharp.Mat(fa, new OpenCvSharp.Rect(0, 0, fa.Width, 12));
        using var bandB = new OpenCvSharp.Mat(fb, new OpenCvSharp.Rect(0, 0, fb.Width, 12));
        Assert.True(OpenCvSharp.Cv2.Mean(bandB).Val0 > OpenCvSharp.Cv2.Mean(bandA).Val0 + 10, "--no-hud still drew the HUD band");
        using var diff = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Absdiff(fa, fb, diff);
        Assert.True(OpenCvSharp.Cv2.Mean(diff).Val0 > 5, "the overlay options changed nothing");
    }

    [Fact]
    public void ReplaysAnImageFolder()
    {
        string folder = TestVideos.WriteFolder(P("frames"), 6);
        var r = GradcamProcess.Run("replay", folder, "--model", "resnet18", "--random-weights", "--fps", "5",
                                   "--out", P("out.avi"), "--timeline", P("t.jsonl"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(6, TestVideos.Inspect(P("out.avi")).Frames);
        Assert.Equal(6, File.ReadAllLines(P("t.jsonl")).Length);
    }

    [Fact]
    public void MissingAndCorruptInputsAreClearErrors()
    {
        var r = GradcamProcess.Run("replay", P("nope.mp4"), "--random-weights", "--out", P("o.mp4"), "--timeline", P("t.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"input '{P("nope.mp4")}' not found", r.Stderr);

        File.WriteAllBytes(P("broken.mp4"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 31)).ToArray());
        r = GradcamProcess.Run("replay", P("broken.mp4"), "--random-weights", "--out", P("o.mp4"), "--timeline", P("t.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"video '{P("broken.mp4")}' could not be opened", r.Stderr);

        string clip = TestVideos.Write(P("ok.avi"), 3);
        r = GradcamProcess.Run("replay", clip, "--random-weights", "--model", "resnet18", "--out", P("o.webm"), "--timeline", P("t.jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unsupported extension '.webm'", r.Stderr);
    }

    [Fact]
    public void LiveReadsRawFramesFromAPipe()
    {
        // 12 raw BGR24 frames of 160x120, as `ffmpeg -f rawvideo -pix_fmt bgr24 -` would pipe them.
        string raw = P("frames.bgr");
        using (var file = File.Create(raw))
            for (int i = 0; i < 12; i++)
            {
                using var frame = TestVideos.Draw(i, 12);
                var bytes = new byte[frame.Rows * frame.Cols * 3];
                System.Runtime.InteropServices.Marshal.Copy(frame.Data, bytes, 0, bytes.Length);
                file.Write(bytes);
            }
        var r = GradcamProcess.RunWithStdin(raw, "live", "--stdin-raw", $"{TestVideos.Width}x{TestVideos.Height}@30", "--headless",
                                            "--model", "resnet18", "--random-weights", "--out", P("live.avi"), "--timeline", P("live.jsonl"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = File.ReadAllLines(P("live.jsonl"));
        Assert.InRange(lines.Length, 1, 12);
        Assert.Equal(lines.Length, TestVideos.Inspect(P("live.avi")).Frames);
        Assert.Contains("raw BGR24 160x120 on stdin", r.Stderr);
    }

    [Fact]
    public void LiveRejectsBadSourcesClearly()
    {
        var r = GradcamProcess.Run("live", "--stdin-raw", "640by360", "--headless", "--random-weights");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("expected WIDTHxHEIGHT", r.Stderr);

        r = GradcamProcess.Run("live", "--camera", "7", "--headless", "--random-weights", "--model", "resnet18");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("camera 7 could not be opened", r.Stderr);

        r = GradcamProcess.Run("live", "--camera", "0", "--input", "x.mp4", "--headless");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("choose one source", r.Stderr);
    }
}
