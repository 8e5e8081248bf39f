using System.Reflection;
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
        : this(name, module as IExplainableNetwork ?? new TorchNetwork(module), labels, defaultLayer, input, device, ownsModule)
    {
    }

    /// <summary>Wraps a network that describes its own layers and engine (see <see cref="IExplainableNetwork"/>).</summary>
    /// <param name="name">A display name.</param>
    /// <param name="network">The network and what it knows of its layers.</param>
    /// <param name="labels">Class names by index.</param>
    /// <param name="defaultLayer">The name of the layer explained when none is given.</param>
    /// <param name="input">Input size and normalisation.</param>
    /// <param name="device">Where the network runs; CPU when null.</param>
    /// <param name="ownsModule">Whether disposing this object disposes the module.</param>
    public ImageClassifier(string name, IExplainableNetwork network, IReadOnlyList<string> labels, string defaultLayer,
                           InputSpec input, Device? device = null, bool ownsModule = true)
    {
        Name = name;
        Network = network;
        Module = network.Module;
        Labels = labels;
        DefaultLayer = defaultLayer;
        Input = input;
        Device = device ?? torch.CPU;
        _ownsModule = ownsModule;
        Architecture = (Module as IRebuildableModule)?.Architecture;

        Module.to(Device);
        Module.eval();
        foreach (var p in Module.parameters()) p.requires_grad = false;
        DisableInPlaceOperations(Module);
    }

    /// <summary>The display name.</summary>
    public string Name { get; }

    /// <summary>The network.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The network's layers and engine.</summary>
    public IExplainableNetwork Network { get; }

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
    /// How to read detections from the model's raw output, when it is a single-stage detector; null for other models.
    /// Box targets (<see cref="GradCam.Engine.Targets.DetectionTarget"/>) need it.
    /// </summary>
    public Detectors.DetectionOptions? Detector { get; set; }

    /// <summary>
    /// Whether the model as stored ends in a Softmax/LogSoftmax that the module leaves out: the module returns the
    /// logits, which methods differentiate, and softmax of them gives the stored model's own probabilities.
    /// </summary>
    public bool ExplainsSoftmaxInput { get; init; }

    /// <summary>The name of a class, or <c>class N</c> when the labels do not cover it.</summary>
    /// <param name="index">The class index.</param>
    public string LabelOf(int index) => index >= 0 && index < Labels.Count ? Labels[index] : $"class {index}";

    /// <summary>The names a layer can be found by (see <see cref="IExplainableNetwork.LayerNames"/>).</summary>
    public IReadOnlyList<string> LayerNames() => Network.LayerNames;

    /// <summary>Finds a layer by its name.</summary>
    /// <param name="layer">The dotted name, e.g. <c>features.28</c> or <c>layer4</c>, or a graph's node name.</param>
    /// <exception cref="ArgumentException">No such layer; the message lists the valid names.</exception>
    public nn.Module<Tensor, Tensor> FindLayer(string layer)
    {
        return Network.FindLayer(layer)
            ?? throw new ArgumentException($"unknown layer '{layer}' for {Name}; {Network.LayerNamesTitle}: {string.Join(", ", LayerNames())}", nameof(layer));
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
