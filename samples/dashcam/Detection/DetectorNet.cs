using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Dashcam.Detection;

/// <summary>
/// A small single-stage detector for the dashcam world: three stride-2 convolutions and a neck to a 1/8-resolution
/// grid (32x18 cells on the 256x144 input), and a 1x1 head predicting per cell a box and the class scores. Its output
/// is YOLOv8's raw layout <c>[N, 4 + classes, cells]</c>: <c>cx = (gx + σ(t_x))·8</c>, <c>cy = (gy + σ(t_y))·8</c>,
/// <c>w = σ(t_w)·W</c>, <c>h = σ(t_h)·H</c>, scores <c>σ(t_c)</c>.
/// </summary>
public sealed class DetectorNet : Module<Tensor, Tensor>
{
    /// <summary>The grid's stride in input pixels.</summary>
    public const int Stride = 8;

    /// <summary>The input: rendered frames resized to 256x144 (small traffic lights need the pixels) and normalised like ImageNet models.</summary>
    public static GradCam.Models.InputSpec Input { get; } = new(256, 144, GradCam.Models.InputSpec.ImageNet.Mean, GradCam.Models.InputSpec.ImageNet.Std);

    private readonly Module<Tensor, Tensor> conv1, conv2, conv3, neck, head;

    /// <summary>A detector for <paramref name="classes"/> classes with PyTorch's default initialisation.</summary>
    public DetectorNet(int classes) : base("DetectorNet")
    {
        Classes = classes;
        conv1 = Conv2d(3, 16, 3, stride: 2, padding: 1);
        conv2 = Conv2d(16, 32, 3, stride: 2, padding: 1);
        conv3 = Conv2d(32, 64, 3, stride: 2, padding: 1);
        neck = Conv2d(64, 64, 3, padding: 1);
        head = Conv2d(64, 4 + classes, 1);
        RegisterComponents();
    }

    /// <summary>Classes scored.</summary>
    public int Classes { get; }

    /// <summary>The modules in order, with the names the ONNX export gives their nodes.</summary>
    internal IEnumerable<(string Name, Module<Tensor, Tensor> Conv, bool Relu)> Layers =>
        [("conv1", conv1, true), ("conv2", conv2, true), ("conv3", conv3, true), ("neck", neck, true), ("head", head, false)];

    /// <summary>The head's raw output <c>[N, 4 + classes, h, w]</c> (before the sigmoid), which training scores.</summary>
    public Tensor Raw(Tensor x)
    {
        var y = functional.relu(conv1.call(x));
        y = functional.relu(conv2.call(y));
        y = functional.relu(conv3.call(y));
        y = functional.relu(neck.call(y));
        return head.call(y);
    }

    /// <summary>Decodes the head's raw output into YOLOv8's layout.</summary>
    public static Tensor Decode(Tensor raw)
    {
        long n = raw.shape[0], f = raw.shape[1], h = raw.shape[2], w = raw.shape[3];
        var s = raw.sigmoid();
        var grid = Grid(h, w, raw.device);
        var xy = (s.narrow(1, 0, 2) + grid) * Stride;
        var wh = s.narrow(1, 2, 2) * torch.tensor(new float[] { w * Stride, h * Stride }, device: raw.device).view(1, 2, 1, 1);
        return torch.cat([xy, wh, s.narrow(1, 4, f - 4)], 1).reshape(n, f, h * w);
    }

    /// <summary>Each cell's column and row <c>[1, 2, h, w]</c>.</summary>
    public static Tensor Grid(long h, long w, Device? device = null)
    {
        var gy = torch.arange(h, dtype: ScalarType.Float32, device: device).view(h, 1).expand(h, w);
        var gx = torch.arange(w, dtype: ScalarType.Float32, device: device).view(1, w).expand(h, w);
        return torch.stack([gx, gy]).unsqueeze(0);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Decode(Raw(x));
}
