using System.Text.Json;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary>
/// <c>gradcam explain --target</c> beyond a class, on the PyTorch-written detector and regressor: the printed and
/// JSON detections, one map per box, the figures, and one clear line for every wrong target.
/// </summary>
public sealed class TargetCommandTests : IClassFixture<TargetModelsFixture>, IDisposable
{
    private readonly TargetModelsFixture _models;
    private readonly TestImages _files = new();

    public TargetCommandTests(TargetModelsFixture models) => _models = models;

    public void Dispose() => _files.Dispose();

    private string Labels()
    {
        string path = _files.PathOf("labels.txt");
        File.WriteAllLines(path, ["car", "stop sign", "pedestrian"]);
        return path;
    }

    private ProcessResult Explain(string model, params string[] more) =>
        GradcamProcess.Run(["explain", _models.Image, "--model", _models.PathOf(model), "--preprocess", "none", "--out", _files.PathOf("out"), .. more]);

    private static float[] Floats(JsonElement e) =>
        e.EnumerateArray().SelectMany(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToArray() : [r]).Select(v => v.GetSingle()).ToArray();

    [Fact]
    public void One_box_is_explained_and_every_detection_is_listed()
    {
        var reference = _models.Reference("detector.yolov8").GetProperty("detections");
        string json = _files.PathOf("box.json");
        var r = Explain("detector.yolov8.onnx", "--detector", "yolov8", "--labels", Labels(), "--target", "box:1", "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"box #1 stop sign {reference[1].GetProperty("score").GetSingle():0.0000}", r.Stdout);
        Assert.Contains("Grad-CAM of box #1 (stop sign, score", r.Stdout);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = Assert.Single(doc.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal(1, result.GetProperty("detection").GetInt32());
        Assert.Equal("y = s_c(anchor)", result.GetProperty("formula").GetString());
        var detections = result.GetProperty("detections");
        Assert.Equal(reference.GetArrayLength(), detections.GetArrayLength());
        // The image is the model's 96x96 input: boxes in image pixels are the model's own.
        Assertions.Close(Floats(reference[1].GetProperty("box")), Floats(detections[1].GetProperty("xyxy")), rel: 1e-5, what: "box 1");
        Assertions.Close(Floats(reference[1].GetProperty("cam")), Floats(result.GetProperty("cam")), rel: 1e-4, what: "box 1's CAM");
        Assert.True(File.Exists(_files.PathOf("out/image.gradcam.png")));
        Assert.True(File.Exists(_files.PathOf("out/image.overlay.png")));
    }

    [Fact]
    public void Box_all_writes_one_map_per_detection()
    {
        var reference = _models.Reference("detector.yolov5").GetProperty("detections");
        string json = _files.PathOf("all.json");
        var r = Explain("detector.yolov5.onnx", "--detector", "yolov5", "--target", "box:all", "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results");
        Assert.Equal(reference.GetArrayLength(), results.GetArrayLength());
        for (int k = 0; k < results.GetArrayLength(); k++)
        {
            Assert.Equal(k, results[k].GetProperty("detection").GetInt32());
            Assertions.Close(Floats(reference[k].GetProperty("cam")), Floats(results[k].GetProperty("cam")), rel: 1e-4, what: $"box {k}'s CAM");
            Assert.True(File.Exists(_files.PathOf($"out/image.box{k}.gradcam.png")), $"figure of box {k}");
        }
    }

    [Fact]
    public void A_negated_output_is_explained()
    {
        var reference = _models.Reference("regressor");
        string json = _files.PathOf("brake.json");
        var r = Explain("regressor.onnx", "--target", "-brake", "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Grad-CAM of -brake (value ", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = doc.RootElement.GetProperty("results")[0];
        Assert.Equal(-1, result.GetProperty("target").GetInt32());
        Assert.Equal(-reference.GetProperty("brake").GetSingle(), result.GetProperty("value").GetSingle(), 5);
        Assertions.Close(Floats(reference.GetProperty("minus_brake_cam")), Floats(result.GetProperty("cam")), rel: 1e-4, what: "-brake");
    }

    [Theory]
    [InlineData("detector.yolov8.onnx", "--target box:0", "--target box:0 explains a detected box: say how the model's output holds boxes with --detector yolov5 or yolov8")]
    [InlineData("detector.yolov8.onnx", "--target box:0 --detector yolov5", "gradcam: error: output 'output0' is [1, 7, 144], not the YOLOv5 layout [N, boxes, 5 + classes] (it has fewer boxes than fields per box: is it the YOLOv8 layout?)")]
    [InlineData("detector.yolov8.onnx", "--target box:99 --detector yolov8", "gradcam: error: image '{2}': box 99 does not exist: {0} box(es) score 0.25 or more (box:0..box:{1})")]
    [InlineData("detector.yolov8.onnx", "--target box:1,2,3 --detector yolov8", "--target: target 'box:1,2,3' is not a box: expected box:N (a rank), box:all, or box:x1,y1,x2,y2 with x1 < x2 and y1 < y2")]
    [InlineData("detector.yolov8.onnx", "--score-threshold 0.5", "gradcam: error: --score-threshold and --iou-threshold apply to detectors: add --detector yolov5 or yolov8")]
    [InlineData("detector.yolov8.onnx", "--detector yolov7", "--detector must be yolov5 or yolov8")]
    [InlineData("regressor.onnx", "--target output:speed", "gradcam: error: regressor has no output 'speed'; its outputs are steer [1, 1], brake [1, 1]")]
    [InlineData("regressor.onnx", "--target output:steer[1]", "gradcam: error: output 'steer' holds 1 value(s) per image ([1, 1]); element 1 does not exist")]
    public void Wrong_targets_are_one_line_and_exit_1(string model, string options, string expected)
    {
        int count = _models.Reference("detector.yolov8").GetProperty("detections").GetArrayLength();
        expected = string.Format(expected, count, count - 1, Path.GetFullPath(_models.Image));
        var r = Explain(model, options.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith(expected, r.Stderr.Trim());
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }
}
