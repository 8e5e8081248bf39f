namespace GradCam.Testing;

/// <summary>
/// The torchvision networks exported to ONNX by Fixtures/make_onnx_models.py (Debian's python3-torch), made on first
/// use and cached by the script's hash (in $GRADCAM_TEST_CACHE, or ~/.cache/gradcam-tests): about 2 GB, a minute.
/// </summary>
public sealed class TorchvisionOnnxFixture() : ScriptFixture("make_onnx_models.py", "onnx")
{
    public string Model(string name, int opset) => PathOf($"{name}.op{opset}.onnx");

    public string Weights(string name) => PathOf($"{name}.pth");
}
