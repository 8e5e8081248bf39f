using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary>
/// Stopping a replay with real signals sent to the gradcam process: Ctrl+C (SIGINT) and SIGTERM stop promptly — the batch
/// in inference is finished, what was explained is written — and a second Ctrl+C closes the files at once. Every way
/// leaves a playable video and a timeline holding the same frames, under their final names.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class InterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private RunningProcess StartLongReplay(string clip, int batch = 4, params string[] extra) =>
        GradcamProcess.Start(["replay", clip, "--model", "resnet18", "--random-weights", "--batch", batch.ToString(),
                              "--out", P("out.mp4"), "--timeline", P("t.jsonl"), .. extra]);

    private void AssertOutputsHoldTheSameFrames(int atLeast)
    {
        Assert.False(File.Exists(GradcamProcess.Pending(P("out.mp4"))), "a temporary video was left behind");
        Assert.False(File.Exists(GradcamProcess.Pending(P("t.jsonl"))), "a temporary timeline was left behind");
        var lines = File.ReadAllLines(P("t.jsonl"));
        Assert.InRange(lines.Length, atLeast, 599);
        Assert.Equal(lines.Length, TestVideos.Inspect(P("out.mp4")).Frames);
        for (int i = 0; i < lines.Length; i++)
            Assert.Equal(i, JsonDocument.Parse(lines[i]).RootElement.GetProperty("frame").GetInt32());
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void ASignalStopsWithinABatchAndLeavesPlayableMatchingOutputs(string signal)
    {
        string clip = TestVideos.Write(P("long.avi"), 600, fps: 25);
        using var p = StartLongReplay(clip);
        try
        {
            Assert.True(GradcamProcess.WaitForLines(p, P("t.jsonl"), 12, TimeSpan.FromMinutes(2)), "the replay did not get going");
            var clock = Stopwatch.StartNew();
            p.Signal(signal);
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "no exit within a minute of the signal");
            // One batch of 4 (about a second here) plus encoding what was explained; the old drain of every channel took up to 16 s.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(130, p.ExitCode);
            Assert.Contains("stopped after", p.Stderr);
            AssertOutputsHoldTheSameFrames(atLeast: 12);
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
    }

    [Fact]
    public void ASecondCtrlCClosesTheFilesAtOnce()
    {
        // Batches of 8 frames averaged over 8 noisy copies take seconds: the first Ctrl+C would wait for one.
        string clip = TestVideos.Write(P("long.avi"), 600, fps: 25);
        using var p = StartLongReplay(clip, batch: 8, "--smooth", "8");
        try
        {
            Assert.True(GradcamProcess.WaitForLines(p, P("t.jsonl"), 8, TimeSpan.FromMinutes(2)), "the replay did not get going");
            p.Signal("INT");
            Thread.Sleep(300);
            var clock = Stopwatch.StartNew();
            p.Signal("INT");
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)), "no exit within a minute of the second signal");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the second Ctrl+C took {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(130, p.ExitCode);
            string err = p.Stderr;
            Assert.Contains("stopping at once", err);
            Assert.Contains("the outputs are closed", err);
            Assert.DoesNotContain("   at ", err);
            AssertOutputsHoldTheSameFrames(atLeast: 8);
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
    }
}
