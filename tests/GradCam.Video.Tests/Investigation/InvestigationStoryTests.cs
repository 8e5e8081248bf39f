using System.Net;
using GradCam.Video.Investigation;
using OpenCvSharp;
using Xunit;

namespace GradCam.Video.Tests.Investigation;

/// <summary>The report's words come from the caller's story; the library tells a neutral one.</summary>
public sealed class InvestigationStoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-story-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Two seconds of blue, then the right half turns red: the red detector's P(red) jumps from ~0.01 to ~0.8.</summary>
    private string RedHalfClip()
    {
        string path = Path.Combine(_dir, "red-half.avi");
        using var writer = new VideoWriter(path, FourCC.MJPG, 15, new Size(128, 72));
        for (int i = 0; i < 60; i++)
        {
            using var frame = new Mat(72, 128, MatType.CV_8UC3, new Scalar(255, 0, 0)); // BGR blue
            if (i >= 30) frame[new Rect(64, 0, 64, 72)].SetTo(new Scalar(0, 0, 255));
            writer.Write(frame);
        }
        return path;
    }

    private sealed class TrafficStory : InvestigationStory
    {
        public override string Title(string eventClass) => $"Why did the light turn {eventClass}?";

        public override string Compared(string compare, string eventClass, bool agrees, double probability) =>
            agrees ? $"; {compare} saw it too" : $"; {compare} did not";
    }

    private async Task<(Investigator.Result Result, string Html)> Investigate(string name, InvestigationStory? story)
    {
        using var model = TestModels.RedDetector();
        using var compare = TestModels.RedDetector();
        var options = new InvestigationOptions(RedHalfClip(), Path.Combine(_dir, name), EventClass: "red");
        if (story is not null) options = options with { Story = story };
        var result = await Investigator.RunAsync(options, model, compare, TextWriter.Null);
        return (result, WebUtility.HtmlDecode(File.ReadAllText(result.ReportPath)));
    }

    [Fact]
    public async Task TheLibraryTellsTheNeutralStory()
    {
        var (r, html) = await Investigate("neutral", story: null);
        var onset = Assert.Single(r.Findings);
        Assert.InRange(onset.Event.Frame, 30, 31);
        Assert.Contains("<h1>What made the model predict 'red'?</h1>", html);
        Assert.StartsWith("abrupt red at 00:02.0", r.Verdict);
        Assert.Contains("; the red-detector model predicted 'red' too (P(red) ", r.Verdict);
        Assert.DoesNotContain("car", html);
    }

    [Fact]
    public async Task TheCallersStoryGivesTheTitleAndTheWords()
    {
        var (r, html) = await Investigate("traffic", new TrafficStory());
        Assert.Contains("<h1>Why did the light turn red?</h1>", html);
        Assert.Contains("<title>Why did the light turn red? — red-half.avi</title>", html);
        Assert.Contains("; red-detector saw it too", r.Verdict);
        Assert.DoesNotContain("What made the model predict", html);
    }
}
