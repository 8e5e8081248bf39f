using System.Text.Json;
using GradCam.Engine;
using GradCam.Imaging;
using GradCam.Models;
using OpenCvSharp;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

public class ExplainCommandTests : IDisposable
{
    private readonly TestImages _images = new();

    public void Dispose() => _images.Dispose();

    [Fact]
    public void WritesFiguresAndExactlyTheDocumentedJson()
    {
        string a = _images.Shapes("a.jpg"), b = _images.Shapes("b.png", 200, 300);
        string outDir = _images.PathOf("out"), json = _images.PathOf("out/result.json");
        var r = GradcamProcess.Run("explain", a, b, "--model", "resnet18", "--random-weights", "--top", "3", "--out", outDir, "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);

        foreach (var stem in new[] { "a", "b" })
        {
            using var figure = Cv2.ImRead(Path.Combine(outDir, stem + ".gradcam.png"));
            Assert.False(figure.Empty());
            Assert.True(figure.Width > 2 * 224);
            using var overlay = Cv2.ImRead(Path.Combine(outDir, stem + ".overlay.png"));
            Assert.Equal(stem == "a" ? new Size(320, 240) : new Size(200, 300), overlay.Size());
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(["model", "layer", "method", "layers", "results"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gradcam", root.GetProperty("method").GetString());
        Assert.Equal("resnet18", root.GetProperty("model").GetString());
        Assert.Equal("layer4", root.GetProperty("layer").GetString());
        var results = root.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        var first = results[0];
        Assert.Equal(["image", "target", "targetLabel", "formula", "value", "topK", "camShape", "cam"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(a, first.GetProperty("image").GetString());
        var top = first.GetProperty("topK");
        Assert.Equal(3, top.GetArrayLength());
        Assert.Equal(["index", "label", "probability"], top[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(top[0].GetProperty("index").GetInt32(), first.GetProperty("target").GetInt32());
        Assert.Equal([7, 7], first.GetProperty("camShape").EnumerateArray().Select(e => e.GetInt32()));
        var cam = first.GetProperty("cam");
        Assert.Equal(7, cam.GetArrayLength());
        Assert.All(cam.EnumerateArray(), row => Assert.Equal(7, row.GetArrayLength()));

        // The CLI's raw CAM is the engine's: same model (seed 0), same image, computed in this process.
        using var model = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true });
        using var explainer = new GradCamExplainer(model);
        using var image = ImagePreprocessor.Load(a);
        var expected = explainer.Explain(image);
        Assert.Equal(expected.TargetClass, first.GetProperty("target").GetInt32());
        var actual = cam.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(expected.Cam.Data[i] - actual[i]) <= 1e-5 * expected.Cam.Max + 1e-7, $"cam[{i}]: {expected.Cam.Data[i]} vs {actual[i]}");
        Assert.Contains("  ", r.Stdout);
        Assert.Contains(expected.TopK[0].Label, r.Stdout);
    }

    [Fact]
    public void OtherMethodsFusedLayersAndFlipKeepTheJsonShape()
    {
        string a = _images.Shapes("a.jpg");
        string json = _images.PathOf("m.json");
        var r = GradcamProcess.Run("explain", a, "--model", "resnet18", "--random-weights", "--method", "gradcam++", "--layer", "layer3,layer4",
                                   "--fuse", "max", "--flip", "--out", _images.PathOf("m"), "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Grad-CAM++ at layer3+layer4 (max of normalised maps), flip-averaged", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(["model", "layer", "method", "layers", "results"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("gradcam++", root.GetProperty("method").GetString());
        Assert.Equal(["layer3", "layer4"], root.GetProperty("layers").EnumerateArray().Select(e => e.GetString()));
        var first = root.GetProperty("results")[0];
        Assert.Equal(["image", "target", "targetLabel", "formula", "value", "topK", "camShape", "cam"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal([224, 224], first.GetProperty("camShape").EnumerateArray().Select(e => e.GetInt32())); // fused maps live at input resolution

        using var model = ModelZoo.Create(new ModelSpec("resnet18") { RandomWeights = true });
        using var explainer = new GradCamExplainer(model, new ExplainerOptions
        {
            Method = GradCam.Engine.Methods.CamMethod.GradCamPlusPlus, Layers = ["layer3", "layer4"],
            Fusion = GradCam.Engine.Methods.LayerFusion.Max, FlipAveraging = true,
        });
        using var image = ImagePreprocessor.Load(a);
        var expected = explainer.Explain(image);
        var actual = first.GetProperty("cam").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        for (int i = 0; i < actual.Length; i += 97)
            Assert.True(Math.Abs(expected.Cam.Data[i] - actual[i]) <= 1e-5, $"cam[{i}]: {expected.Cam.Data[i]} vs {actual[i]}");
    }

    [Fact]
    public void LabelsNameTheClassesAndAFileForAnotherModelIsRefused()
    {
        string image = _images.Shapes("a.jpg"), json = _images.PathOf("labels.json");
        string labels = _images.PathOf("labels.txt"), three = _images.PathOf("three.txt");
        File.WriteAllLines(labels, Enumerable.Range(0, 1000).Select(i => $"thing-{i:000}"));
        File.WriteAllLines(three, ["cat", "dog", "car"]);
        var r = GradcamProcess.Run("explain", image, "--model", "resnet18", "--random-weights", "--labels", labels, "--top", "3",
                                   "--out", _images.PathOf("l"), "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var result = doc.RootElement.GetProperty("results")[0];
            int target = result.GetProperty("target").GetInt32();
            Assert.Equal($"thing-{target:000}", result.GetProperty("targetLabel").GetString());
            foreach (var top in result.GetProperty("topK").EnumerateArray())
                Assert.Equal($"thing-{top.GetProperty("index").GetInt32():000}", top.GetProperty("label").GetString());
            Assert.Contains($"thing-{target:000}", r.Stdout);
        }

        var wrong = GradcamProcess.Run("explain", image, "--model", "resnet18", "--random-weights", "--labels", three, "--out", _images.PathOf("w"));
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("gradcam: error: model 'resnet18' scores 1000 classes, but its labels name 3", wrong.Stderr.Trim());
    }

    [Fact]
    public void MethodOptionsAreCheckedBeforeAnyWork()
    {
        string image = _images.Shapes("a.jpg");
        var r = GradcamProcess.Run("explain", image, "--random-weights", "--model", "resnet18", "--method", "gradcam+++");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unknown method 'gradcam+++'", r.Stderr);
        Assert.Contains("guided-gradcam", r.Stderr);

        r = GradcamProcess.Run("explain", image, "--random-weights", "--model", "resnet18", "--method", "gradcam,layercam");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("'gradcam evaluate' compares several", r.Stderr);

        r = GradcamProcess.Run("explain", image, "--random-weights", "--model", "resnet18", "--method", "eigencam", "--smooth", "4");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("eigencam uses no gradients", r.Stderr);
    }

    [Fact]
    public void FixedTargetIsExplainedForEveryImage()
    {
        string a = _images.Shapes("a.jpg");
        string json = _images.PathOf("t.json");
        var r = GradcamProcess.Run("explain", a, "--model", "resnet18", "--random-weights", "--target", "281", "--out", _images.PathOf("o"), "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var first = doc.RootElement.GetProperty("results")[0];
        Assert.Equal(281, first.GetProperty("target").GetInt32());
        Assert.StartsWith("tabby", first.GetProperty("targetLabel").GetString());
    }

    [Fact]
    public void WithoutWeightsItSaysWhereVgg16WeightsComeFrom()
    {
        var r = GradcamProcess.Run("explain", _images.Shapes("a.jpg"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("vgg16-397923af.pth", r.Stderr);
        Assert.Contains("--random-weights", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void UnknownLayerListsTheValidOnes()
    {
        var r = GradcamProcess.Run("explain", _images.Shapes("a.jpg"), "--model", "resnet18", "--random-weights", "--layer", "layer9");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unknown layer 'layer9'", r.Stderr);
        Assert.Contains("layer4", r.Stderr);
        Assert.Contains("layer3.1.conv2", r.Stderr);
    }

    [Fact]
    public void MissingImageIsNamedBeforeAnyWork()
    {
        string missing = _images.PathOf("nope.jpg");
        var r = GradcamProcess.Run("explain", _images.Shapes("a.jpg"), missing, "--random-weights", "--out", _images.PathOf("o"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"image '{missing}' not found", r.Stderr);
        Assert.False(Directory.Exists(_images.PathOf("o")));
    }

    [Fact]
    public void CorruptImageFailsButTheOthersAreStillExplained()
    {
        string good = _images.Shapes("good.jpg"), bad = _images.Corrupt("bad.jpg");
        string outDir = _images.PathOf("o"), json = _images.PathOf("o/r.json");
        var r = GradcamProcess.Run("explain", bad, good, "--model", "resnet18", "--random-weights", "--out", outDir, "--json", json);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"image '{bad}' could not be decoded", r.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "good.gradcam.png")));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(1, doc.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void WrongWeightsAndBadOptionsAreOneLineErrors()
    {
        string image = _images.Shapes("a.jpg");
        string weights = _images.PathOf("w.pth");
        File.WriteAllBytes(weights, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
        var r = GradcamProcess.Run("explain", image, "--model", "resnet18", "--weights", weights);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(weights, r.Stderr);

        r = GradcamProcess.Run("explain", image, "--random-weights", "--device", "tpu");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("gradcam: error: --device: unknown device 'tpu': expected auto, cpu, cuda or cuda:N", r.Stderr); // the library's words, the CLI's flag

        r = GradcamProcess.Run("explain", image, "--random-weights", "--model", "alexnet");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--model: unknown model 'alexnet': expected a zoo name (vgg11", r.Stderr);

        r = GradcamProcess.Run("explain", image, "--random-weights", "--top", "0");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--top must be at least 1", r.Stderr);
    }
}
