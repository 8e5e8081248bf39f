using System.Text.Json;
using GradCam.Dashcam.Detection;
using GradCam.Dashcam.Investigation;
using GradCam.Dashcam.World;
using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Video.Investigation;
using TorchSharp;
using Xunit;

namespace GradCam.Dashcam.Tests.Detection;

/// <summary>
/// The committed dashcam detector: its ONNX file against ONNX Runtime, its measures on held-out scenes, the
/// train-detector command end to end, and the investigation of a drive through its boxes.
/// </summary>
public sealed class DetectorTests : IClassFixture<DemoDriveFixture>
{
    private readonly DemoDriveFixture _drive;

    public DetectorTests(DemoDriveFixture drive) => _drive = drive;

    private static string Committed => Path.Combine(AppContext.BaseDirectory, "models", "detector.onnx");

    [Fact]
    public void The_committed_file_equals_OnnxRuntime_on_rendered_scenes()
    {
        using var model = DetectorFile.Load(Committed);
        using var scope = torch.NewDisposeScope();
        var (x, _) = DetectorTrainer.Batch(new SceneSampler(31), 2);
        using var noGrad = torch.no_grad();
        var ours = model.Module.call(x).data<float>().ToArray();
        var input = x.data<float>().ToArray();
        var expected = OnnxRuntimeOracle.Run(Committed, new Dictionary<string, (float[], int[])> { ["images"] = (input, [2, 3, 144, 256]) })[0].Values;
        Assertions.Close(expected, ours, rel: 1e-5, abs: 1e-5, what: "detector output");
    }

    [Fact]
    public void It_finds_the_objects_of_held_out_scenes_and_its_maps_point_at_them()
    {
        // The README's figures come from train-detector's 300 scenes; 64 others must tell the same story.
        using var model = DetectorFile.Load(Committed);
        var result = DetectorMetrics.Measure(model, seed: 123_456, count: 64);
        Assert.True(result.MeanAp > 0.35, $"mAP@0.5 {result.MeanAp:P1}");   // 48.6 % on the 300 scenes of train-detector
        Assert.True(result.Explained > 20, $"{result.Explained} true-positive boxes explained");
        Assert.True(result.PointingAccuracy > 0.8, $"pointing game {result.PointingAccuracy:P1}");  // 91.8 % there
        using var metrics = JsonDocument.Parse(File.ReadAllText(DetectorFile.MetricsPath(Committed)));
        Assert.Equal(300, metrics.RootElement.GetProperty("heldOutScenes").GetInt32());
    }

    [Fact]
    public void Train_detector_writes_a_model_that_reproduces_the_network()
    {
        string dir = Path.Combine(_drive.Dir, "trained");
        var r = ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "dashcam.dll"), "train-detector", "--epochs", "1", "--scenes", "64",
                                             "--held-out", "16", "--out", Path.Combine(dir, "small.onnx")], new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(5) });
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("the ONNX file reproduces the trained network: max |difference| 0", r.Stdout);
        Assert.Contains("mAP@0.5", r.Stdout);
        Assert.Equal(DetectorClasses.Labels, File.ReadAllLines(Path.Combine(dir, "small.labels.txt")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "small.metrics.json")));
        Assert.Equal(16, metrics.RootElement.GetProperty("heldOutScenes").GetInt32());
        var bad = ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "dashcam.dll"), "train-detector", "--out", Path.Combine(dir, "x.gcm")]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("expected an .onnx file", bad.Stderr);
    }

    [Fact]
    public async Task A_drive_is_investigated_through_the_boxes_that_triggered_each_stop()
    {
        using var model = DetectorFile.Load(Committed);
        var options = new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "detector"), _drive.Truth, "stop sign|pedestrian|red light")
        {
            Story = DashcamStory.Instance,
        };
        var result = await Investigator.RunAsync(options, model, null, TextWriter.Null);
        Assert.NotEmpty(result.Findings);
        foreach (var f in result.Findings)
        {
            var d = f.Event.Explanation.Detection!;
            Assert.Contains(d.Label, new[] { "stop sign", "pedestrian", "red light" });
            Assert.Equal(d.Score, f.Event.Probability, 5);
            Assert.NotNull(f.PeakInBox);
        }
        Assert.Matches(@"^a (stop sign|pedestrian|red light) detected at \d\d:\d\d\.\d \(score 0\.\d\d, box \[.*\] in model-input pixels\): the heat peak is (on|off) the box", result.Verdict);
        string report = System.Net.WebUtility.HtmlDecode(File.ReadAllText(result.ReportPath));
        Assert.Contains("explained</th>", report);
        Assert.Contains("the explained box (the pointing game's tolerance)", report);
        // The timeline lists each frame's boxes and which one was explained.
        var lines = File.ReadAllLines(result.TimelinePath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.TryGetProperty("detections", out var ds) && ds.GetArrayLength() > 0 && l.TryGetProperty("box", out _));

        // A class the detector does not have is one clear line.
        var wrong = new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "wrong"), null, "stop sign|billboard");
        Assert.StartsWith("event class 'billboard' is not a class of detector (stop sign, pedestrian, red light, other light, car)",
                          (await Assert.ThrowsAsync<ArgumentException>(() => Investigator.RunAsync(wrong, model, null, TextWriter.Null))).Message);
    }
}
