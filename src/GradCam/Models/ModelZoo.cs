using GradCam.Models.Labels;
using GradCam.Models.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// torchvision's ImageNet classifiers, built with TorchSharp's TorchVision, with their conventional Grad-CAM
/// layers: the last convolution for VGG (<c>features.28</c> for vgg16), <c>layer4</c> for ResNet.
/// </summary>
/// <remarks>
/// Weights are never downloaded. Use the state_dict files torchvision publishes (e.g. <c>vgg16-397923af.pth</c>,
/// <c>resnet18-f37072fd.pth</c>, as <c>torchvision.models.vgg16(weights="IMAGENET1K_V1")</c> caches them under
/// <c>~/.cache/torch/hub/checkpoints/</c>), or any <c>.pth</c>/<c>.pt</c>/<c>.safetensors</c>/TorchSharp file with the
/// same keys. The full classifier is built (<c>skipfc: false</c>), so its last layer is loaded, not left random.
/// </remarks>
public static class ModelZoo
{
    private static readonly Dictionary<string, Func<nn.Module<Tensor, Tensor>>> s_factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["vgg11"] = () => torchvision.models.vgg11(skipfc: false),
        ["vgg13"] = () => torchvision.models.vgg13(skipfc: false),
        ["vgg16"] = () => torchvision.models.vgg16(skipfc: false),
        ["vgg19"] = () => torchvision.models.vgg19(skipfc: false),
        ["resnet18"] = () => torchvision.models.resnet18(),
        ["resnet34"] = () => torchvision.models.resnet34(),
        ["resnet50"] = () => torchvision.models.resnet50(),
    };

    /// <summary>The model names the zoo knows.</summary>
    public static IReadOnlyList<string> Names { get; } = s_factories.Keys.ToArray();

    /// <summary>Whether the zoo knows a model name.</summary>
    /// <param name="name">A model name such as <c>vgg16</c>.</param>
    public static bool Contains(string name) => s_factories.ContainsKey(name);

    /// <summary>Builds a zoo model, loads its weights and prepares it for explanation.</summary>
    /// <param name="spec">The model: one of <see cref="Names"/> with its weights (or seeded random weights), device, labels and display name.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">Unknown model name, or neither weights nor random weights were asked for.</exception>
    /// <exception cref="WeightsMismatchException">The weights do not fit the architecture.</exception>
    public static ImageClassifier Create(ModelSpec spec)
    {
        string name = spec.Name;
        if (!s_factories.TryGetValue(name, out var factory))
            throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}", nameof(spec));
        if (spec.WeightsPath is null && !spec.RandomWeights)
            throw new ArgumentException(
                $"{name} needs weights: pass the state_dict torchvision publishes ({WeightsHint(name)}), or random weights for smoke tests",
                nameof(spec));

        var module = factory();
        if (spec.RandomWeights) SeededInitialization.Apply(module, spec.Seed);
        var architecture = ModelArchitecture.FromZoo(name);
        try
        {
            if (spec.WeightsPath is not null) module.LoadWeights(spec.WeightsPath);
            var labels = spec.Labels ?? ClassLabels.ImageNet;
            return new ImageClassifier(spec.DisplayName ?? name.ToLowerInvariant(), module, labels, DefaultLayer(name, module), InputSpec.ImageNet, spec.Device.Resolve())
            {
                Architecture = architecture,
            };
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Builds a zoo network with random weights, untouched (train mode, trainable parameters).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    public static nn.Module<Tensor, Tensor> Build(string name) =>
        s_factories.TryGetValue(name, out var factory) ? factory()
            : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}", nameof(name));

    /// <summary>The conventional Grad-CAM layer of a zoo network.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="module">The built network.</param>
    public static string DefaultLayer(string name, nn.Module module) => name.StartsWith("resnet", StringComparison.OrdinalIgnoreCase)
        ? "layer4"
        : module.named_modules().Last(m => m.module is Conv2d).name;

    /// <summary>The file name torchvision publishes a model's ImageNet weights under.</summary>
    /// <param name="name">A zoo model name.</param>
    public static string WeightsHint(string name) => name.ToLowerInvariant() switch
    {
        "vgg11" => "vgg11-8a719046.pth",
        "vgg13" => "vgg13-19584684.pth",
        "vgg16" => "vgg16-397923af.pth",
        "vgg19" => "vgg19-dcbb9e9d.pth",
        "resnet18" => "resnet18-f37072fd.pth",
        "resnet34" => "resnet34-b627a593.pth",
        "resnet50" => "resnet50-0676ba61.pth",
        _ => "torchvision's state_dict file",
    } + $", saved by torchvision.models.{name.ToLowerInvariant()}(weights=\"IMAGENET1K_V1\") in ~/.cache/torch/hub/checkpoints/";
}
