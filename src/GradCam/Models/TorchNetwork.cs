using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>A TorchSharp module as an <see cref="IExplainableNetwork"/>: its layers are its named submodules.</summary>
/// <param name="module">The network.</param>
public sealed class TorchNetwork(nn.Module<Tensor, Tensor> module) : IExplainableNetwork
{
    /// <inheritdoc />
    public nn.Module<Tensor, Tensor> Module { get; } = module;

    /// <summary>Every named submodule's dotted name, in registration order.</summary>
    public IReadOnlyList<string> LayerNames => Module.named_modules().Select(m => m.name).Where(n => n.Length > 0).ToList();

    /// <inheritdoc />
    public string LayerNamesTitle => "valid layers";

    /// <inheritdoc />
    public string Engine => "TorchSharp";

    /// <inheritdoc />
    public nn.Module<Tensor, Tensor>? FindLayer(string name)
    {
        foreach (var (layer, module) in Module.named_modules())
        {
            if (layer != name) continue;
            return module as nn.Module<Tensor, Tensor>
                ?? throw new ArgumentException($"layer '{name}' is a {module.GetType().Name}, not a tensor-to-tensor module", nameof(name));
        }
        return null;
    }

    /// <inheritdoc />
    public IDisposable? RunAllInTorchSharp() => null;
}
