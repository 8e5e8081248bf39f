using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.LiveView.Tests;

/// <summary>Small real networks whose behaviour is known by construction.</summary>
internal static class TestModels
{
    /// <summary>
    /// A "red detector": a 1x1 conv computes A^0 = R - (G + B)/2 - 0.25 per pixel (inputs in [0, 1]); class 0 ("red")
    /// scores the mean of ReLU(A^0). Its Grad-CAM for class 0 is a positive multiple of A^0 where A^0 > 0: it peaks on
    /// red things.
    /// </summary>
    public static ImageClassifier RedDetector(int delayMs = 0)
    {
        var conv = Conv2d(3, 2, 1);
        var fc = Linear(2, 2);
        using (torch.no_grad())
        {
            conv.weight!.copy_(torch.tensor(new float[] { 1, -0.5f, -0.5f, -1, 0.5f, 0.5f }).view(2, 3, 1, 1));
            conv.bias!.copy_(torch.tensor(new float[] { -0.25f, 0 }));
            fc.weight!.copy_(torch.tensor(new float[] { 10, 0, 0, 10 }).view(2, 2));
            fc.bias!.zero_();
        }
        Module<Tensor, Tensor> net = Sequential(("features", conv), ("relu", ReLU()), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("fc", fc));
        string layer = "features";
        if (delayMs > 0)
        {
            net = new Slow(net, delayMs);
            layer = "inner.features";
        }
        return new ImageClassifier("red-detector", net, ["red", "not red"], layer, new InputSpec(64, 64, [0f, 0f, 0f], [1f, 1f, 1f]));
    }

    /// <summary>
    /// The red detector of <see cref="RedDetector"/> as an ONNX file (1x1 Conv, Relu, GlobalAveragePool, Flatten, Gemm,
    /// Softmax at opset 13, input [1, 3, 64, 64] in [0, 1]): import it with <c>--preprocess none</c>.
    /// </summary>
    public static string RedDetectorOnnx(string path)
    {
        var g = new GradCam.MLNet.Tests.Models.Onnx.OnnxTestGraph(13).Input("image", 1, 3, 64, 64)
            .Floats("w", [2, 3, 1, 1], [1, -0.5f, -0.5f, -1, 0.5f, 0.5f]).Floats("b", [2], [-0.25f, 0])
            .Floats("fc", [2, 2], [10, 0, 0, 10]).Floats("fcb", [2], [0, 0])
            .Node("Conv", ["image", "w", "b"], ["a"]).Named("features")
            .Node("Relu", ["a"], ["r"]).Named("relu")
            .Node("GlobalAveragePool", ["r"], ["pooled"]).Node("Flatten", ["pooled"], ["flat"])
            .Node("Gemm", ["flat", "fc", "fcb"], ["logits"], ("transB", 1L)).Node("Softmax", ["logits"], ["probabilities"])
            .Output("probabilities");
        return g.Save(path);
    }

    /// <summary>A real network made slow, to play a model that cannot keep up with its source.</summary>
    private sealed class Slow : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> inner;
        private readonly int _delayMs;

        public Slow(Module<Tensor, Tensor> inner, int delayMs) : base("Slow")
        {
            this.inner = inner;
            _delayMs = delayMs;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            Thread.Sleep(_delayMs);
            return inner.call(input);
        }
    }
}
