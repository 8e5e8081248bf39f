namespace GradCam.Testing;

/// <summary>
/// torchvision's vit_b_16 and swin_t exported to ONNX at opsets 14 and 17 with their PyTorch Grad-CAM references, by
/// Fixtures/make_transformer_models.py; made on first use (about 2 minutes, 0.9 GB) and cached by the script's hash.
/// The inputs are <c>[2, 3, 224, 224]</c>.
/// </summary>
public sealed class TransformerOnnxFixture() : ScriptFixture("make_transformer_models.py", "transformers")
{
    public string Model(string name, int opset) => PathOf($"{name}.op{opset}.onnx");
}
