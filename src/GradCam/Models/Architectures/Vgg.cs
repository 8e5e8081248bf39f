using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Models.Architectures;

/// <summary>
/// A VGG-style CNN of any size with torchvision's module names (<c>features</c>, <c>avgpool</c>, <c>classifier</c>),
/// so state_dicts saved from PyTorch's <c>torchvision.models.VGG</c> or from a small look-alike load unchanged.
/// </summary>
/// <remarks>
/// <c>features</c> is, for each entry of <see cref="VggConfig.Features"/>, either <c>Conv2d(3x3, padding 1)</c>
/// [+ <c>BatchNorm2d</c>] + <c>ReLU</c>, or a 2x2 max pool for an entry of 0. <c>classifier</c> is
/// <c>Linear, ReLU, Dropout</c> per hidden width followed by the output <c>Linear</c>. With
/// <see cref="VggConfig.Vgg16"/> this is torchvision's vgg16 layer for layer (<c>features.28</c> is the last conv).
/// </remarks>
public sealed class Vgg : Module<Tensor, Tensor>, IRebuildableModule
{
    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <summary>Builds the network (random initialisation).</summary>
    /// <param name="config">The layer configuration.</param>
    public Vgg(VggConfig config) : base(nameof(Vgg))
    {
        Config = config;
        var f = new List<(string, Module<Tensor, Tensor>)>();
        long channels = config.InputChannels;
        foreach (int width in config.Features)
        {
            if (width == 0)
            {
                f.Add(($"{f.Count}", MaxPool2d(2, 2)));
                continue;
            }
            f.Add(($"{f.Count}", Conv2d(channels, width, 3, padding: 1)));
            if (config.BatchNorm) f.Add(($"{f.Count}", BatchNorm2d(width)));
            f.Add(($"{f.Count}", ReLU()));
            channels = width;
        }
        features = Sequential(f);
        avgpool = AdaptiveAvgPool2d(new long[] { config.PoolSize, config.PoolSize });

        var c = new List<(string, Module<Tensor, Tensor>)>();
        long inFeatures = channels * config.PoolSize * config.PoolSize;
        foreach (int hidden in config.Hidden)
        {
            c.Add(($"{c.Count}", Linear(inFeatures, hidden)));
            c.Add(($"{c.Count}", ReLU()));
            c.Add(($"{c.Count}", Dropout(config.Dropout)));
            inFeatures = hidden;
        }
        c.Add(($"{c.Count}", Linear(inFeatures, config.NumClasses)));
        classifier = Sequential(c);
        RegisterComponents();
    }

    /// <summary>The configuration the network was built from.</summary>
    public VggConfig Config { get; }

    /// <inheritdoc />
    public ModelArchitecture Architecture => ModelArchitecture.FromVgg(Config);

    /// <summary>The dotted name of the last convolution, Grad-CAM's conventional target layer.</summary>
    public string LastConvLayer => $"features.{features.named_children().Last(m => m.module is Conv2d).name}";

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = features.call(input);
        x = avgpool.call(x);
        x = x.flatten(1);
        return classifier.call(x).MoveToOuterDisposeScope();
    }
}
