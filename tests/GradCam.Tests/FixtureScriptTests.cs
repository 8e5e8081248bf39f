using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace GradCam.Tests;

/// <summary>
/// Fixtures cannot drift from their scripts: each generated JSON records the SHA-256 of the script that wrote it, and a
/// script edited without its fixtures regenerated fails here (run it with Debian's /usr/bin/python3 from Fixtures/).
/// </summary>
public class FixtureScriptTests
{
    [Theory]
    [InlineData("tiny_vgg.methods.expected.json", "make_method_fixtures.py")]
    [InlineData("tiny_vgg_bn.methods.expected.json", "make_method_fixtures.py")]
    [InlineData("tiny_vgg.faithfulness.expected.json", "make_method_fixtures.py")]
    [InlineData("tiny_vgg.faithfulness.peaked.expected.json", "make_method_fixtures.py")]
    [InlineData("preprocess.downscale.expected.json", "make_preprocess_fixtures.py")]
    [InlineData("tiny_vgg.references.expected.json", "make_reference_fixtures.py")]
    [InlineData("tiny_vgg_bn.references.expected.json", "make_reference_fixtures.py")]
    public void EachFixtureWasWrittenByItsScriptAsItIsNow(string fixture, string script)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf(fixture)));
        string recorded = doc.RootElement.GetProperty("scriptSha256").GetString()!;
        string actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(PyTorchFixture.PathOf(script)))).ToLowerInvariant();
        Assert.True(recorded == actual, $"{fixture} was written by another version of {script}: regenerate it (cd tests/GradCam.Tests/Fixtures && /usr/bin/python3 {script})");
    }
}
