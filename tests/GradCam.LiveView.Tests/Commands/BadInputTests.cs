using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary>Bad input gets one line naming the input and what was expected, a non-zero exit, and no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static void AssertOneLine(ProcessResult r, string expected)
    {
        Assert.True(r.ExitCode is > 0 and < 128, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.Contains(expected, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Exception", r.Stderr);
    }

    public static TheoryData<string, string> RawGeometries() => new()
    {
        { "65536x65536", "the frame size must be 1 to 16384 pixels a side" },          // W*H*3 wrapped to 0 before
        { "100000x100000", "the frame size must be 1 to 16384 pixels a side" },        // an OverflowException before
        { "99999999999999999999x10", "the frame size must be 1 to 16384 pixels a side" },
        { "0x360", "the frame size must be 1 to 16384 pixels a side" },
        { "640x360@0", "the frame rate must be above 0" },
        { "640by360", "expected WIDTHxHEIGHT or WIDTHxHEIGHT@FPS" },
    };

    [Theory]
    [MemberData(nameof(RawGeometries))]
    public void RawStreamSizesAreCheckedBeforeAnyAllocation(string geometry, string expected)
    {
        string empty = P("empty.raw");
        File.WriteAllBytes(empty, []);
        AssertOneLine(GradcamProcess.RunWithStdin(empty, "live", "--stdin-raw", geometry, "--headless", "--model", "resnet18", "--random-weights"), expected);
    }

    [Fact]
    public void APartialOrEmptyStreamIsAWarningAndLeavesNoBrokenVideo()
    {
        string partial = P("partial.raw");
        File.WriteAllBytes(partial, new byte[2 * 32 * 24 * 3 + 100]); // two frames and a piece of a third
        var r = GradcamProcess.RunWithStdin(partial, "live", "--stdin-raw", "32x24@10", "--headless", "--model", "resnet18", "--random-weights",
                                            "--out", P("p.mp4"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("ended within a frame", r.Stderr);
        Assert.Equal(2, TestVideos.Inspect(P("p.mp4")).Frames);

        string empty = P("empty.raw");
        File.WriteAllBytes(empty, []);
        r = GradcamProcess.RunWithStdin(empty, "live", "--stdin-raw", "32x24@10", "--headless", "--model", "resnet18", "--random-weights", "--out", P("e.mp4"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("held no whole 32x24 frame", r.Stderr);
        Assert.False(File.Exists(P("e.mp4"))); // no 257-byte broken video
    }

    [Fact]
    public void OptionsOutOfRangeAreOneLine()
    {
        string clip = TestVideos.Write(P("c.avi"), 3, fps: 10);
        string[] replay = ["replay", clip, "--model", "resnet18", "--random-weights", "--out", P("o.mp4"), "--timeline", P("t.jsonl")];
        AssertOneLine(GradcamProcess.Run([.. replay, "--top", "0"]), "--top must be at least 1");
        AssertOneLine(GradcamProcess.Run([.. replay, "--batch", "x"]), "Cannot parse argument 'x' for option '--batch'");
        AssertOneLine(GradcamProcess.Run([.. replay, "--alpha", "NaN"]), "--alpha must be between 0 and 1");
        AssertOneLine(GradcamProcess.Run([.. replay, "--cam-scale", "NaN"]), "--cam-scale must be a positive number");
        AssertOneLine(GradcamProcess.Run("live", "--camera", "-1", "--headless", "--model", "resnet18", "--random-weights"), "--camera must be 0 or more");
        Assert.False(File.Exists(P("o.mp4")));
    }

    [Fact]
    public void ALiveWindowWithoutADisplaySuggestsHeadless()
    {
        string clip = TestVideos.Write(P("c.avi"), 3, fps: 10);
        var r = GradcamProcess.RunWithEnvironment(new() { ["DISPLAY"] = null, ["WAYLAND_DISPLAY"] = null },
                                                  "live", "--input", clip, "--model", "resnet18", "--random-weights");
        AssertOneLine(r, "--headless");
    }

    /// <summary>resnet18's random weights with one NaN: every output of the model is NaN.</summary>
    private string NanWeights()
    {
        string path = P("nan.safetensors");
        using var model = GradCam.Models.ModelZoo.Create(new GradCam.Models.ModelSpec("resnet18") { RandomWeights = true });
        using (TorchSharp.torch.no_grad())
            model.Module.named_parameters().First(p => p.name == "fc.bias").parameter[3] = float.NaN;
        GradCam.Models.Weights.WeightsFile.Write(model.Module, path, GradCam.Models.Weights.WeightsFormat.Safetensors);
        return path;
    }

    [Fact]
    public void NonFiniteOutputsAreReportedPerItemAndTheJsonStaysValid()
    {
        string weights = NanWeights();
        using var images = new TestImages();
        string json = P("out.json");
        var r = GradcamProcess.Run("explain", images.Shapes("a.png"), "--model", "resnet18", "--weights", weights, "--json", json, "--out", P("figures"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not finite (NaN or infinity)", r.Stderr);
        Assert.Contains("a.png", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)))
        {
            var result = doc.RootElement.GetProperty("results")[0];
            Assert.Contains("not finite", result.GetProperty("error").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("cam").ValueKind);
        }

        string clip = TestVideos.Write(P("c.avi"), 6, fps: 10);
        var replay = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--weights", weights, "--out", P("o.mp4"), "--timeline", P("t.jsonl"));
        Assert.True(replay.ExitCode == 0, replay.Stderr);
        Assert.Contains("6 frame(s) had a model output that is not finite", replay.Stderr);
        Assert.Equal(6, TestVideos.Inspect(P("o.mp4")).Frames); // the run goes on: every frame is in the video
        var lines = File.ReadAllLines(P("t.jsonl"));
        Assert.Equal(6, lines.Length);
        foreach (var line in lines)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            Assert.Contains("not finite", doc.RootElement.GetProperty("error").GetString());
        }
    }

    /// <summary>A PNG whose header claims 40000x40000 pixels (OpenCV decodes at most 2^30), with a little data.</summary>
    private string HugePng()
    {
        static byte[] Chunk(string type, byte[] data)
        {
            var body = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            uint crc = 0xFFFFFFFF;
            foreach (byte b in body)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
            crc ^= 0xFFFFFFFF;
            static byte[] BigEndian(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
            return [.. BigEndian((uint)data.Length), .. body, .. BigEndian(crc)];
        }
        byte[] ihdr = [0, 0, 0x9C, 0x40, 0, 0, 0x9C, 0x40, 8, 2, 0, 0, 0]; // 40000 x 40000, 8-bit RGB
        string path = P("huge.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), .. Chunk("IEND", [])]);
        return path;
    }

    [Fact]
    public void AnImageBeyondOpenCVsLimitIsSkippedAndATruncatedOneIsReported()
    {
        using var images = new TestImages();
        string good = images.Shapes("good.png", 320, 240);
        string jpeg = P("cut.jpg");
        using (var m = OpenCvSharp.Cv2.ImRead(good)) OpenCvSharp.Cv2.ImWrite(jpeg, m);
        byte[] whole = File.ReadAllBytes(jpeg);
        File.WriteAllBytes(jpeg, whole[..(whole.Length / 2)]);
        string json = P("out.json");

        var r = GradcamProcess.Run("explain", HugePng(), jpeg, good, "--model", "resnet18", "--random-weights", "--json", json, "--out", P("figures"));
        Assert.Equal(1, r.ExitCode); // one image could not be explained
        Assert.Contains($"image '{P("huge.png")}' could not be decoded", r.Stderr);
        Assert.Contains($"image '{jpeg}': the file ends before the image does", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("OpenCVException", r.Stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([jpeg, good], results.Select(x => x.GetProperty("image").GetString()));
        Assert.Contains("ends before the image does", results[0].GetProperty("warning").GetString());
        Assert.False(results[1].TryGetProperty("warning", out _)); // a whole image has no warning
    }

    [Fact]
    public void HostileWeightsAreOneLineNamingTheFileAndTheTensorAndTouchNothing()
    {
        var files = new HostileFiles(_dir);
        string stride0 = files.Zip("stride0.pth", p => p.Tensor("features.0.weight", "0", 1, 0, [600_000_000], [0]), ("0", new byte[4]));
        string evil = files.Zip("evil.pth", p => p.Tensor("features.0.weight", "0", 4, 0, [4], [1]).Call("extra", "posix", "system", "touch owned"), ("0", new byte[16]));
        using var images = new TestImages();
        string image = images.Shapes("a.png");
        File.WriteAllText(P("keep.json"), "{\"kept\": true}");
        foreach (var (weights, expected) in new[] { (stride0, "tensor 'features.0.weight' holds 600000000 elements"), (evil, "entry 'extra' holds a pickled posix.system object") })
        {
            var r = GradcamProcess.Run("explain", image, "--model", "vgg16", "--weights", weights, "--json", P("keep.json"), "--out", P("figures"));
            AssertOneLine(r, expected);
            Assert.Contains(weights, r.Stderr);
            Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.Equal("{\"kept\": true}", File.ReadAllText(P("keep.json")));
        Assert.False(File.Exists("owned"));
    }

    [Fact]
    public void ATruncatedVideoIsReportedAsTruncatedNotAsCorruptFrames()
    {
        string clip = TestVideos.Write(P("whole.avi"), 60, fps: 10);
        byte[] bytes = File.ReadAllBytes(clip);
        string cut = P("cut.avi");
        File.WriteAllBytes(cut, bytes[..(bytes.Length * 2 / 3)]);
        var r = GradcamProcess.Run("replay", cut, "--model", "resnet18", "--random-weights", "--out", P("o.avi"), "--timeline", P("t.jsonl"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("cut.avi ends after", r.Stderr);
        Assert.Contains("of the 60 frames its header gives (truncated file?)", r.Stderr);
        Assert.DoesNotContain("corrupt", r.Stderr);
        int lines = File.ReadAllLines(P("t.jsonl")).Length;
        Assert.InRange(lines, 20, 59);
        Assert.Equal(lines, TestVideos.Inspect(P("o.avi")).Frames);
    }
}
