using System.Text.Json;

namespace GradCam.Testing;

/// <summary>
/// The torchvision networks exported to ONNX by Fixtures/make_onnx_models.py (Debian's python3-torch), made on first
/// use and cached by the script's hash (in $GRADCAM_TEST_CACHE, or ~/.cache/gradcam-tests): about 2 GB, a minute.
/// </summary>
public sealed class TorchvisionOnnxFixture
{
    public TorchvisionOnnxFixture() => Directory = FixtureCache.Folder("make_onnx_models.py", "onnx");

    public string Directory { get; }

    public string Model(string name, int opset) => Path.Combine(Directory, $"{name}.op{opset}.onnx");

    public string Weights(string name) => Path.Combine(Directory, $"{name}.pth");

    public float[] Input(string name) => FixtureCache.Floats(Path.Combine(Directory, $"{name}.input.bin"));

    public JsonElement Reference(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, $"{name}.json"))).RootElement;
}
