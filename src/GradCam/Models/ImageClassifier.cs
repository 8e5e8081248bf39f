using System.Reflection;
using GradCam.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// A CNN image classifier ready to be explained: the TorchSharp module (in eval mode, on its device, with
/// frozen parameters and no in-place activations), its class labels, its input specification and its
/// conventional Grad-CAM target layer.
/// </summary>
public sealed class ImageClassifier : IDisposable
{
    private readonly bool _ownsModule;

    /// <summary>Wraps a module for explanation.</summary>
    /// <param name="name">A display name (e.g. <c>vgg16</c>).</param>
    /// <param name="module">The network: images <c>[N, 3, H, W]</c> in, logits <c>[N, classes]</c> out.</param>
    /// <param name="labels">Class names by index.</param>
    /// <param name="defaultLayer">The dotted name of the layer explained when none is given.</param>
    /// <param name="input">Input size and normalisation.</param>
    /// <param name="device">Where the network runs; CPU when null.</param>
    /// <param name="ownsModule">Whether disposing this object disposes the module.</param>
    /// <remarks>
    /// The module is switched to eval mode, its parameters stop requiring gradients (Grad-CAM differentiates
    /// with respect to activations only) and every in-place activation becomes out-of-place, so that a
    /// captured layer output is never overwritten by the next layer.
    /// </remarks>
    public ImageClassifier(string name, nn.Module<Tensor, Tensor> module, IReadOnlyList<string> labels, string defaultLayer,
                           InputSpec input, Device? device = null, bool ownsModule = true)
    {
        Name = name;
        Module = module;
        Labels = labels;
        DefaultLayer = defaultLayer;
        Input = input;
        Device = device ?? torch.CPU;
        _ownsModule = ownsModule;
        Architecture = module is Architectures.Vgg vgg ? ModelArchitecture.FromVgg(vgg.Config) : null;

        Module.to(Device);
        Module.eval();
        foreach (var p in Module.parameters()) p.requires_grad = false;
        DisableInPlaceOperations(Module);
    }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>The network.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Class names by index.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The layer explained when none is given.</summary>
    public string DefaultLayer { get; }

    /// <summary>Input size and normalisation.</summary>
    public InputSpec Input { get; }

    /// <summary>Where the network runs.</summary>
    public Device Device { get; }

    /// <summary>How to rebuild the network (zoo name or VGG-style configuration); null for arbitrary modules, which cannot be packaged.</summary>
    public ModelArchitecture? Architecture { get; init; }

    /// <summary>
    /// Whether the model as stored ends in a Softmax/LogSoftmax that the module leaves out: the module returns the
    /// logits, which methods differentiate, and softmax of them gives the stored model's own probabilities.
    /// </summary>
    public bool ExplainsSoftmaxInput { get; init; }

    /// <summary>The name of a class, or <c>class N</c> when the labels do not cover it.</summary>
    /// <param name="index">The class index.</param>
    public string LabelOf(int index) => index >= 0 && index < Labels.Count ? Labels[index] : $"class {index}";

    /// <summary>
    /// The layer names <c>--layer</c> accepts: every named submodule in registration order; for an imported ONNX graph,
    /// the nodes whose output is a feature map, in graph order (any node or output name is accepted too).
    /// </summary>
    public IReadOnlyList<string> LayerNames() => Module is OnnxGraph graph
        ? graph.Layers.Where(l => l.IsFeatureMap).Select(l => l.DisplayName).Distinct().ToList()
        : Module.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToList();

    /// <summary>Finds a submodule by its dotted name.</summary>
    /// <param name="layer">The dotted name, e.g. <c>features.28</c> or <c>layer4</c>.</param>
    /// <exception cref="ArgumentException">No such layer; the message lists the valid names.</exception>
    public nn.Module<Tensor, Tensor> FindLayer(string layer)
    {
        if (Module is OnnxGraph graph)
            return graph.FindLayer(layer)
                ?? throw new ArgumentException($"unknown layer '{layer}' for {Name}; feature maps (node names, in graph order): {string.Join(", ", LayerNames())}", nameof(layer));
        foreach (var (name, module) in Module.named_modules())
        {
            if (name != layer) continue;
            return module as nn.Module<Tensor, Tensor>
                ?? throw new ArgumentException($"layer '{layer}' of {Name} is a {module.GetType().Name}, not a tensor-to-tensor module", nameof(layer));
        }
        throw new ArgumentException($"unknown layer '{layer}' for {Name}; valid layers: {string.Join(", ", LayerNames())}", nameof(layer));
    }

    /// <summary>Disposes the module when this object owns it.</summary>
    public void Dispose()
    {
        if (_ownsModule) Module.Dispose();
    }

    private static void DisableInPlaceOperations(nn.Module root)
    {
        // ReLU(inplace: true) and friends would overwrite the captured activation and break autograd.
        foreach (var (_, module) in root.named_modules())
        {
            var inplace = module.GetType().GetProperty("inplace", BindingFlags.Public | BindingFlags.Instance);
            if (inplace is { PropertyType: var t, CanWrite: true } && t == typeof(bool) && (bool)inplace.GetValue(module)!)
                inplace.SetValue(module, false);
        }
    }
}
