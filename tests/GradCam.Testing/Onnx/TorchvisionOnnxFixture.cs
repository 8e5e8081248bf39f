using System.Security.Cryptography;
using System.Text.Json;

namespace GradCam.Testing;

/// <summary>
/// The torchvision networks exported to ONNX by Fixtures/make_onnx_models.py (Debian's python3-torch), made on first
/// use and cached by the script's hash (in $GRADCAM_TEST_CACHE, or ~/.cache/gradcam-tests): about 2 GB, a minute.
/// </summary>
public sealed class TorchvisionOnnxFixture
{
    public TorchvisionOnnxFixture()
    {
        string script = PyTorchFixture.PathOf("make_onnx_models.py");
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(script)))[..12].ToLowerInvariant();
        string root = Environment.GetEnvironmentVariable("GRADCAM_TEST_CACHE")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "gradcam-tests");
        Directory = Path.Combine(root, $"onnx-{hash}");
        if (File.Exists(Path.Combine(Directory, "complete"))) return;

        PythonScript.Run("make_onnx_models.py", Directory);
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
