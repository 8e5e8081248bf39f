using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>
/// What GradCam asks of a network besides running it: its layers by name and how it runs. A plain TorchSharp module
/// answers through <see cref="TorchNetwork"/>; a network that knows more of itself (an imported ONNX graph, whose
/// layers are its nodes and which may run its first part on another runtime) implements this itself.
/// </summary>
public interface IExplainableNetwork
{
    /// <summary>The network: images <c>[N, C, H, W]</c> in, its first output (class scores <c>[N, classes]</c> for a classifier) out.</summary>
    nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>The network's outputs by name, in order: one (<c>output</c>) for a plain module.</summary>
    IReadOnlyList<string> OutputNames => ["output"];

    /// <summary>Runs the network and returns every output, in <see cref="OutputNames"/>' order (forward hooks fire).</summary>
    /// <param name="input">Images <c>[N, C, H, W]</c>.</param>
    Tensor[] RunOutputs(Tensor input) => [Module.call(input)];

    /// <summary>The names a layer can be found by, in the network's order.</summary>
    IReadOnlyList<string> LayerNames { get; }

    /// <summary>What <see cref="LayerNames"/> lists, for messages (e.g. <c>valid layers</c>).</summary>
    string LayerNamesTitle { get; }

    /// <summary>The module whose forward hooks see a layer's output, as <c>[N, C, H, W]</c>.</summary>
    /// <param name="name">A layer name.</param>
    /// <returns>The module, or null when the network has no layer of that name.</returns>
    /// <exception cref="ArgumentException">The name exists but cannot be captured; the message says why.</exception>
    nn.Module<Tensor, Tensor>? FindLayer(string name);

    /// <summary>How the network runs for the layers captured now, for messages (e.g. <c>TorchSharp</c>).</summary>
    string Engine { get; }

    /// <summary>
    /// While the returned object lives, the whole network runs in TorchSharp (for methods that need gradients below the
    /// target layer); null when it always does.
    /// </summary>
    IDisposable? RunAllInTorchSharp();
}
