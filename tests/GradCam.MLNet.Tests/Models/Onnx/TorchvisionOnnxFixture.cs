using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace GradCam.MLNet.Tests.Models.Onnx;

/// <summary>
/// The torchvision networks exported to ONNX by Fixtures/make_onnx_models.py (Debian's python3-torch), made on first
/// use and cached by the script's hash (in $GRADCAM_TEST_CACHE, or ~/.cache/gradcam-tests): about 2 GB, a minute.
/// </summary>
public sealed class TorchvisionOnnxFixture
{
    private const string Python = "/usr/bin/python3";

    public TorchvisionOnnxFixture()
    {
        string script = PyTorchFixture.PathOf("make_onnx_models.py");
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(script)))[..12].ToLowerInvariant();
        string root = Environment.GetEnvironmentVariable("GRADCAM_TEST_CACHE")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "gradcam-tests");
        Directory = Path.Combine(root, $"onnx-{hash}");
        if (File.Exists(Path.Combine(Directory, "complete"))) return;

        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} with Debian's python3-torch, python3-torchvision and python3-onnx is needed to make the ONNX fixtures (./build.sh test installs them)");
        var start = new ProcessStartInfo(Python, [script, Directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("make_onnx_models.py took over 15 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"make_onnx_models.py failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }

    public string Directory { get; }

    public string Model(string name, int opset) => Path.Combine(Directory, $"{name}.op{opset}.onnx");

    public string Weights(string name) => Path.Combine(Directory, $"{name}.pth");

    public float[] Input(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Directory, $"{name}.input.bin"));
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return floats;
    }

    public JsonElement Reference(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, $"{name}.json"))).RootElement;
}

[CollectionDefinition(Name)]
public sealed class TorchvisionOnnxCollection : ICollectionFixture<TorchvisionOnnxFixture>
{
    public const string Name = "torchvision ONNX exports";
}
