using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Testing;

/// <summary>Small real networks whose behaviour is known by construction.</summary>
public static class TestModels
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
