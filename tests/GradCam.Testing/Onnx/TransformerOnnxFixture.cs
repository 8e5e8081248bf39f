using System.Text.Json;

namespace GradCam.Testing;

/// <summary>
/// torchvision's vit_b_16 and swin_t exported to ONNX at opsets 14 and 17 with their PyTorch Grad-CAM references, by
/// Fixtures/make_transformer_models.py; made on first use (about 2 minutes, 0.9 GB) and cached by the script's hash.
/// </summary>
public sealed class TransformerOnnxFixture
{
    public TransformerOnnxFixture() => Directory = FixtureCache.Folder("make_transformer_models.py", "transformers");

    public string Directory { get; }

    public string Model(string name, int opset) => Path.Combine(Directory, $"{name}.op{opset}.onnx");

    /// <summary>The input batch <c>[2, 3, 224, 224]</c>.</summary>
    public float[] Input(string name) => FixtureCache.Floats(Path.Combine(Directory, $"{name}.input.bin"));

    public JsonElement Reference(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, $"{name}.json"))).RootElement;
}
