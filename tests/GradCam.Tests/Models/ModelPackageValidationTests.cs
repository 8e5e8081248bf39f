using System.IO.Compression;
using System.Text.Json.Nodes;
using GradCam.Models;
using GradCam.Models.Architectures;
using Xunit;

namespace GradCam.Tests.Models;

/// <summary>
/// Malformed and hostile model packages: each manifest field out of range is one clear error at load, raised before the
/// network is built (a huge channel count never allocates) and before any weight is read.
/// </summary>
public sealed class ModelPackageValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-package-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Package(Action<JsonObject> edit)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.gcm");
        var config = new VggConfig([8, 0, 16, 0], [32], 2, PoolSize: 2);
        var net = new Vgg(config);
        using (var classifier = new ImageClassifier("tiny", net, ["a", "b"], net.LastConvLayer, new InputSpec(32, 32, InputSpec.ImageNet.Mean, InputSpec.ImageNet.Std))
               { Architecture = ModelArchitecture.FromVgg(config) })
            ModelPackage.Save(classifier, path);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = archive.GetEntry("model.json")!;
        JsonObject manifest;
        using (var stream = entry.Open()) manifest = JsonNode.Parse(stream)!.AsObject();
        edit(manifest);
        entry.Delete();
        using (var stream = archive.CreateEntry("model.json").Open())
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
            manifest.WriteTo(writer);
        return path;
    }

    public static TheoryData<string, string> Cases() => new()
    {
        { "inputWidth=0", "input size must be at least 1x1, got 0x32" },
        { "inputWidth=-1", "input size must be at least 1x1, got -1x32" },
        { "mean=short", "mean and std need 3 values (R, G, B), got 2 and 3" },
        { "std=zero", "std must be finite and non-zero" },
        { "labels=three", "the manifest lists 3 labels for a network of 2 classes" },
        { "features=huge", "feature channels must be 0 (a pool) or 1 to 65536" },
        { "hidden=wide", "the architecture needs" },
        { "classes=none", "numClasses must be 1 to" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AManifestOutOfRangeIsOneClearErrorBeforeAnythingIsBuilt(string edit, string expected)
    {
        string path = Package(m =>
        {
            var vgg = m["vgg"]!.AsObject();
            switch (edit)
            {
                case "inputWidth=0": m["inputWidth"] = 0; break;
                case "inputWidth=-1": m["inputWidth"] = -1; break;
                case "mean=short": m["mean"] = new JsonArray(0.5f, 0.5f); break;
                case "std=zero": m["std"] = new JsonArray(0.2f, 0f, 0.2f); break;
                case "labels=three": m["labels"] = new JsonArray("a", "b", "c"); break;
                case "features=huge": vgg["features"] = new JsonArray(8, 0, 2_000_000_000); break;
                case "hidden=wide": vgg["hidden"] = new JsonArray(1 << 20); break; // 16x2x2 x 2^20 weights: 268 MB the file does not hold
                case "classes=none": vgg["numClasses"] = 0; m["labels"] = new JsonArray(); break;
            }
        });
        long before = GC.GetTotalMemory(false);
        var e = Assert.Throws<InvalidDataException>(() => ModelPackage.Load(path));
        Assert.StartsWith($"model package '{path}' is invalid: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.True(GC.GetTotalMemory(false) - before < 50_000_000, "the package allocated before it was refused");
    }

    [Fact]
    public void TheUneditedPackageLoads()
    {
        using var model = ModelPackage.Load(Package(_ => { }));
        Assert.Equal(["a", "b"], model.Labels);
    }
}
