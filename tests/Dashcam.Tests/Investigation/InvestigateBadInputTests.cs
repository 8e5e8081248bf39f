using System.Diagnostics;
using System.Text.Json.Nodes;
using GradCam.Dashcam.World;
using Xunit;

namespace GradCam.Dashcam.Tests.Investigation;

/// <summary><c>dashcam investigate</c> with inputs that do not fit: one line, exit 1, no stack trace, no report.</summary>
public sealed class InvestigateBadInputTests : IClassFixture<InvestigateBadInputTests.SmallDrive>, IDisposable
{
    /// <summary>The drive rendered at 320x180, with its truth.</summary>
    public sealed class SmallDrive : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("gradcam-dashcam-bad-").FullName;
        public string Clip => Path.Combine(Dir, "small.avi");
        public string Truth => Path.Combine(Dir, "small.json");

        public SmallDrive() => DriveRecorder.Record(Clip, Truth, seed: 7, width: 320, height: 180);

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private readonly SmallDrive _drive;
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-dashcam-case-").FullName;

    public InvestigateBadInputTests(SmallDrive drive) => _drive = drive;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Exit, string Stderr) Dashcam(params string[] args)
    {
        var r = ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "dashcam.dll"), .. args], new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(3) });
        return (r.ExitCode, r.Stderr);
    }

    private void AssertOneLine((int Exit, string Stderr) r, string expected)
    {
        Assert.Equal(1, r.Exit);
        Assert.Contains(expected, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("(Parameter", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "out", "report.html")));
    }

    private string Out => Path.Combine(_dir, "out");

    [Fact]
    public void AClipWithoutFramesIsRefused()
    {
        string empty = Path.Combine(_dir, "empty.avi");
        using (new OpenCvSharp.VideoWriter(empty, OpenCvSharp.FourCC.MJPG, 15, new OpenCvSharp.Size(320, 180))) { }
        var r = Dashcam("investigate", empty, "--model", "honest", "--out", Out);
        Assert.Equal(1, r.Exit);
        Assert.Contains(empty, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void ATruthOfAnotherLengthOrSizeIsRefused()
    {
        var truth = JsonNode.Parse(File.ReadAllText(_drive.Truth))!.AsArray();
        string part = Path.Combine(_dir, "part.json");
        File.WriteAllText(part, new JsonArray(truth.Take(100).Select(t => t!.DeepClone()).ToArray()).ToJsonString());
        AssertOneLine(Dashcam("investigate", _drive.Clip, "--model", "honest", "--truth", part, "--out", Out), "covers 100 frames but clip");

        string big = Path.Combine(_dir, "big.json");
        DriveRecorder.Record(Path.Combine(_dir, "big.avi"), big, seed: 7, width: 640, height: 360);
        AssertOneLine(Dashcam("investigate", _drive.Clip, "--model", "honest", "--truth", big, "--out", Out), "is 320x180: the truth belongs to another rendering");
    }

    [Fact]
    public void ZooModelsWithoutOrWithTheWrongWeightsAreOneLine()
    {
        AssertOneLine(Dashcam("investigate", _drive.Clip, "--model", "resnet18", "--out", Out), "zoo model resnet18 needs --weights");
        string resnet = Path.Combine(_dir, "resnet18.safetensors");
        using (var model = GradCam.Models.ModelZoo.Create(new GradCam.Models.ModelSpec("resnet18") { RandomWeights = true }))
            GradCam.Models.Weights.WeightsFile.Write(model.Module, resnet, GradCam.Models.Weights.WeightsFormat.Safetensors);
        AssertOneLine(Dashcam("investigate", _drive.Clip, "--model", "vgg16", "--weights", resnet, "--out", Out), resnet);
    }
}
