using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// Re-initialises a network's weights from a private generator with torchvision's VGG scheme (convolutions: Kaiming
/// normal, fan-out, ReLU gain; linear layers: N(0, 0.01); biases 0; BatchNorm: weight 1, bias 0). Unlike seeding the
/// global generator, nothing else in the process can shift the draws, so a seed always gives the same weights.
/// </summary>
internal static class SeededInitialization
{
    public static void Apply(nn.Module module, long seed)
    {
        using var generator = new torch.Generator(unchecked((ulong)seed));
        using var noGrad = torch.no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    var w = conv.weight!;
                    long fanOut = w.shape[0] * w.shape[2] * w.shape[3];
                    w.normal_(0, Math.Sqrt(2.0 / fanOut), generator);
                    conv.bias?.zero_();
                    break;
                case Linear linear:
                    linear.weight!.normal_(0, 0.01, generator);
                    linear.bias?.zero_();
                    break;
                case BatchNorm2d bn:
                    bn.weight?.fill_(1);
                    bn.bias?.zero_();
                    break;
            }
        }
    }
}
