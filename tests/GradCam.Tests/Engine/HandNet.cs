using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Tests.Engine;

/// <summary>
/// The nets of the hand-computed tests: a 1x1 conv maps the one-channel 2x2 input x to A^0 = x + b_0 and
/// A^1 = -x + b_1 (layer <c>features</c>), then global average pooling and a 2x2 linear layer W give
/// y^c = sum_k W[c,k] mean(A^k), so dy^c/dA^k_ij = W[c,k] / 4 everywhere.
/// </summary>
internal static class HandNet
{
    /// <param name="bias">(b_0, b_1).</param>
    /// <param name="weights">W, row-major.</param>
    public static ImageClassifier Build(float[] bias, float[] weights)
    {
        var conv = Conv2d(1, 2, 1);
        var fc = Linear(2, 2);
        using (torch.no_grad())
        {
            conv.weight!.copy_(torch.tensor(new float[] { 1, -1 }).view(2, 1, 1, 1));
            conv.bias!.copy_(torch.tensor(bias));
            fc.weight!.copy_(torch.tensor(weights).view(2, 2));
            fc.bias!.zero_();
        }
        var net = Sequential(("features", conv), ("pool", AdaptiveAvgPool2d(1)), ("flatten", Flatten()), ("fc", fc));
        return new ImageClassifier("hand", net, ["zero", "one"], "features", new InputSpec(2, 2, [0f], [1f]));
    }

    /// <summary>x = [[1, 2], [3, 4]] as a batch of one.</summary>
    public static Tensor Input() => torch.tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 2, 2);
}
