using System.Text.Json;
using GradCam.Engine;
using GradCam.Imaging;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary><c>--model file.onnx</c> on the commands, with the import options, and its bad inputs.</summary>
public sealed class OnnxModelCommandTests : IDisposable
{
    private readonly TestImages _images = new();

    public void Dispose() => _images.Dispose();

    [Fact]
    public void Explain_takes_an_onnx_model_and_gives_the_same_answer_as_the_same_network_in_TorchSharp()
    {
        string onnx = TestOnnxModels.RedDetectorOnnx(_images.PathOf("red.onnx"));
        string image = _images.Shapes("shapes.png");
        string json = _images.PathOf("out.json");
        var r = GradcamProcess.Run("explain", image, "--model", onnx, "--preprocess", "none", "--labels", WriteLabels(),
                                   "--out", _images.PathOf("out"), "--json", json, "--top", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = doc.RootElement.GetProperty("results")[0];
        Assert.Equal("red", doc.RootElement.GetProperty("model").GetString());
        Assert.Equal("relu", doc.RootElement.GetProperty("layer").GetString());  // the last feature map

        using var model = TestModels.RedDetector();
        using var explainer = new GradCamExplainer(model, "relu");
        using var mat = ImagePreprocessor.Load(image);
        var expected = explainer.Explain(mat, topK: 2);
        Assert.Equal(expected.TargetClass, result.GetProperty("target").GetInt32());
        Assert.Equal(expected.TopK[0].Label, result.GetProperty("topK")[0].GetProperty("label").GetString());
        Assert.Equal(expected.TopK[0].Probability, result.GetProperty("topK")[0].GetProperty("probability").GetSingle(), 4);
        var cam = result.GetProperty("cam").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        for (int i = 0; i < cam.Length; i++) Assert.Equal(expected.Cam.Data[i], cam[i], 4);
    }

    private string WriteLabels()
    {
        string path = _images.PathOf("labels.txt");
        File.WriteAllLines(path, ["red", "not red"]);
        return path;
    }

    [Fact]
    public void Replay_explains_a_video_with_an_onnx_model_and_the_heat_follows_the_red_square()
    {
        string onnx = TestOnnxModels.RedDetectorOnnx(_images.PathOf("red.onnx"));
        string clip = TestVideos.Write(_images.PathOf("clip.avi"), 8, fps: 10);
        var r = GradcamProcess.Run("replay", clip, "--model", onnx, "--preprocess", "none", "--target", "0",
                                   "--out", _images.PathOf("out.avi"), "--timeline", _images.PathOf("t.jsonl"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = File.ReadAllLines(_images.PathOf("t.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(8, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            double x = lines[i].GetProperty("peak").GetProperty("x").GetDouble();
            Assert.InRange(x, TestVideos.SquareX(i, 8) - 6, TestVideos.SquareX(i, 8) + TestVideos.Square + 6);
        }
    }

    [Fact]
    public void Bad_models_and_options_are_one_line_errors()
    {
        string onnx = TestOnnxModels.RedDetectorOnnx(_images.PathOf("red.onnx"));
        string image = _images.Shapes("a.png");
        var bytes = File.ReadAllBytes(onnx);
        File.WriteAllBytes(_images.PathOf("truncated.onnx"), bytes[..(bytes.Length / 2)]);
        File.WriteAllText(_images.PathOf("notes.onnx"), "not a model");
        var dynamic = OnnxTestGraph.TinyClassifier();
        foreach (int d in new[] { 2, 3 })
            dynamic.Model.Graph.Input[0].Type.TensorType.Shape.Dim[d] = new global::Onnx.TensorShapeProto.Types.Dimension { DimParam = "size" };
        string dynamicOnnx = dynamic.Save(_images.PathOf("dynamic.onnx"));

        foreach (var (args, expected) in new (string[] Args, string Message)[]
        {
            (["--model", _images.PathOf("truncated.onnx")], "truncated.onnx' is not a valid ONNX model"),
            (["--model", _images.PathOf("notes.onnx")], "notes.onnx' is not"),
            (["--model", onnx, "--layer", "nowhere"], "unknown layer 'nowhere' for red; feature maps (node names, in graph order): features, relu"),
            (["--model", onnx, "--input-size", "32,32"], "fixed at 64x64"),
            (["--model", dynamicOnnx], "give the size the model was trained at (height and width) (--input-size)"), // the library's words, the CLI's flag
            (["--model", onnx, "--input-size", "32"], "--input-size must be 2 numbers H,W"),
            (["--model", onnx, "--preprocess", "tf"], "--preprocess must be one of imagenet, none, raw, caffe"),
            (["--model", onnx, "--mean", "0.5,x,1"], "--mean must be 3 numbers r,g,b"),
            (["--model", onnx, "--std", "1,0,1"], "--std values must not be 0"),
            (["--model", onnx, "--scale", "10"], "--scale must be 1 or 255"),
            (["--model", "resnet18", "--random-weights", "--preprocess", "caffe"], "apply to ONNX models only"),
            (["--model", onnx, "--weights", onnx], "holds its weights"),
        })
        {
            var r = GradcamProcess.Run(["explain", image, "--out", _images.PathOf("out"), .. args]);
            Assert.True(r.ExitCode != 0, $"{string.Join(' ', args)} succeeded");
            Assert.Contains(expected, r.Stderr);
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", r.Stderr);
        }
    }
}
