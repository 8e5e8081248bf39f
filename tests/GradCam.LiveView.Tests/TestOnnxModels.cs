namespace GradCam.LiveView.Tests;

/// <summary>ONNX files of the test networks, for the CLI's ONNX paths.</summary>
internal static class TestOnnxModels
{
    /// <summary>
    /// The red detector of <see cref="TestModels.RedDetector"/> as an ONNX file (1x1 Conv, Relu, GlobalAveragePool, Flatten, Gemm,
    /// Softmax at opset 13, input [1, 3, 64, 64] in [0, 1]): import it with <c>--preprocess none</c>.
    /// </summary>
    public static string RedDetectorOnnx(string path)
    {
        var g = new OnnxTestGraph(13).Input("image", 1, 3, 64, 64)
            .Floats("w", [2, 3, 1, 1], [1, -0.5f, -0.5f, -1, 0.5f, 0.5f]).Floats("b", [2], [-0.25f, 0])
            .Floats("fc", [2, 2], [10, 0, 0, 10]).Floats("fcb", [2], [0, 0])
            .Node("Conv", ["image", "w", "b"], ["a"]).Named("features")
            .Node("Relu", ["a"], ["r"]).Named("relu")
            .Node("GlobalAveragePool", ["r"], ["pooled"]).Node("Flatten", ["pooled"], ["flat"])
            .Node("Gemm", ["flat", "fc", "fcb"], ["logits"], ("transB", 1L)).Node("Softmax", ["logits"], ["probabilities"])
            .Output("probabilities");
        return g.Save(path);
    }
}
