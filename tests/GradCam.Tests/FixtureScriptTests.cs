using System.Security.Cryptography;
using System.Text.Json;
using GradCam.Models.Weights;
using Xunit;

namespace GradCam.Tests;

/// <summary>
/// Fixtures cannot drift from their scripts: each generated JSON records the SHA-256 of the script that wrote it (a
/// script edited without its fixtures regenerated fails here), and the scripts run again here, with Debian's PyTorch, must
/// write what is committed (JSON numbers to 1e-6, weights tensor for tensor).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class FixtureScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-fixtures-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Every generated fixture and its script, in the order the scripts must run.</summary>
    public static readonly (string Script, string[] Outputs)[] Scripts =
    [
        ("make_fixtures.py", ["preprocess.expected.json", "tiny_vgg.expected.json", "tiny_vgg_bn.expected.json", "tiny_vgg.zip.pth", "tiny_vgg.legacy.pth",
                              "tiny_vgg.safetensors", "tiny_vgg_bn.zip.pth", "tiny_vgg_bn.legacy.pth", "tiny_vgg_bn.safetensors", "tiny_vgg.checkpoint.pth",
                              "tiny_vgg.model-checkpoint.pth", "tiny_vgg.rebuild-v1.pth", "tiny_vgg.module.pth"]),
        ("make_method_fixtures.py", ["tiny_vgg.methods.expected.json", "tiny_vgg_bn.methods.expected.json", "tiny_vgg.faithfulness.expected.json",
                                     "tiny_vgg.faithfulness.peaked.expected.json"]),
        ("make_preprocess_fixtures.py", ["preprocess.downscale.expected.json"]),
        ("make_reference_fixtures.py", ["tiny_vgg.references.expected.json", "tiny_vgg_bn.references.expected.json"]),
        ("make_zoo_fixtures.py", ["zoo.keys.expected.json", "zoo.parity.expected.json"]),
    ];

    public static TheoryData<string, string> JsonFixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (script, outputs) in Scripts)
            foreach (var output in outputs.Where(o => o.EndsWith(".json")))
                data.Add(output, script);
        return data;
    }

    [Theory]
    [MemberData(nameof(JsonFixtures))]
    public void EachFixtureWasWrittenByItsScriptAsItIsNow(string fixture, string script)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf(fixture)));
        string recorded = doc.RootElement.GetProperty("scriptSha256").GetString()!;
        string actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(PyTorchFixture.PathOf(script)))).ToLowerInvariant();
        Assert.True(recorded == actual, $"{fixture} was written by another version of {script}: regenerate it (cd tests/GradCam.Tests/Fixtures && /usr/bin/python3 {script})");
    }

    [Fact]
    public void TheScriptsRegenerateWhatIsCommitted()
    {
        foreach (var script in Directory.GetFiles(PyTorchFixture.PathOf(""), "*.py")) File.Copy(script, Path.Combine(_dir, Path.GetFileName(script)));
        foreach (var (script, outputs) in Scripts)
        {
            PythonScript.RunIn(_dir, Path.Combine(_dir, script));
            foreach (var output in outputs)
            {
                string committed = PyTorchFixture.PathOf(output), fresh = Path.Combine(_dir, output);
                Assert.True(File.Exists(fresh), $"{script} no longer writes {output}");
                if (output.EndsWith(".json"))
                    SameJson(JsonDocument.Parse(File.ReadAllText(committed)).RootElement, JsonDocument.Parse(File.ReadAllText(fresh)).RootElement, output);
                else if (output.EndsWith(".module.pth"))
                    Assert.True(File.ReadAllBytes(committed).SequenceEqual(File.ReadAllBytes(fresh)), $"{output} differs"); // a pickled module: GradCam refuses to read it
                else
                    SameWeights(committed, fresh, output);
            }
        }
    }

    private static void SameWeights(string committed, string fresh, string what)
    {
        using var a = WeightsFile.Read(committed);
        using var b = WeightsFile.Read(fresh);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var key in a.Keys) Assert.True(Assertions.Same(a[key], b[key]), $"{what}: {key} differs from the regenerated file");
    }

    private static void SameJson(JsonElement committed, JsonElement fresh, string path)
    {
        Assert.True(committed.ValueKind == fresh.ValueKind, $"{path}: {committed.ValueKind} became {fresh.ValueKind}");
        switch (committed.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.Equal(committed.EnumerateObject().Select(p => p.Name), fresh.EnumerateObject().Select(p => p.Name));
                foreach (var p in committed.EnumerateObject()) SameJson(p.Value, fresh.GetProperty(p.Name), $"{path}.{p.Name}");
                break;
            case JsonValueKind.Array:
                Assert.True(committed.GetArrayLength() == fresh.GetArrayLength(), $"{path}: {committed.GetArrayLength()} items became {fresh.GetArrayLength()}");
                for (int i = 0; i < committed.GetArrayLength(); i++) SameJson(committed[i], fresh[i], $"{path}[{i}]");
                break;
            case JsonValueKind.Number:
                double x = committed.GetDouble(), y = fresh.GetDouble();
                Assert.True(Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Abs(x)), $"{path}: {x} became {y}");
                break;
            default:
                Assert.True(committed.ToString() == fresh.ToString(), $"{path}: '{committed}' became '{fresh}'");
                break;
        }
    }
}
