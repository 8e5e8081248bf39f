using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Bench;

/// <summary>
/// A detector of realistic cost for the benchmark: torchvision's ResNet18 trunk (seeded random weights) and a 1x1 head
/// over its stride-32 map, decoded into YOLOv8's raw layout <c>[N, 4 + classes, cells]</c> (as the dashcam detector).
/// </summary>
internal sealed class ResNetDetector : Module<Tensor, Tensor>
{
    private const int Stride = 32;
    private readonly Module<Tensor, Tensor> conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, head;

    public ResNetDetector(int classes) : base("ResNetDetector")
    {
        var trunk = torchvision.models.resnet18().named_children().ToDictionary(c => c.name, c => (Module<Tensor, Tensor>)c.module);
        (conv1, bn1, relu, maxpool) = (trunk["conv1"], trunk["bn1"], trunk["relu"], trunk["maxpool"]);
        (layer1, layer2, layer3, layer4) = (trunk["layer1"], trunk["layer2"], trunk["layer3"], trunk["layer4"]);
        head = Conv2d(512, 4 + classes, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = layer4.call(layer3.call(layer2.call(layer1.call(maxpool.call(relu.call(bn1.call(conv1.call(x))))))));
        var p = head.call(y).sigmoid();
        long n = p.shape[0], f = p.shape[1], h = p.shape[2], w = p.shape[3];
        var gy = torch.arange(h, dtype: ScalarType.Float32).view(h, 1).expand(h, w);
        var gx = torch.arange(w, dtype: ScalarType.Float32).view(1, w).expand(h, w);
        var xy = (p.narrow(1, 0, 2) + torch.stack([gx, gy]).unsqueeze(0)) * Stride;
        var wh = p.narrow(1, 2, 2) * torch.tensor(new float[] { w * Stride, h * Stride }).view(1, 2, 1, 1);
        return torch.cat([xy, wh, p.narrow(1, 4, f - 4)], 1).reshape(n, f, h * w);
    }
}
