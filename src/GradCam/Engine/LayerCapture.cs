using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// Forward hooks on the target layers that, while armed, keep each layer's output. With <c>cutGraph</c>, the first
/// target layer to run has its output replaced by a detached leaf that requires gradients, and autograd is switched on
/// from there: the caller runs the forward pass with gradients off, so everything before the layer runs exactly as a
/// plain inference pass, and <c>autograd.grad(y^c, [A_1, A_2, …])</c> differentiates only the layers after it. Later
/// target layers depend on that leaf, so their outputs are kept as they are.
/// </summary>
/// <remarks>
/// TorchSharp fires forward hooks only through <c>Module.call</c>, and <c>Sequential</c>/torchvision models
/// dispose intermediate tensors; each captured activation is therefore an alias moved into the caller's
/// dispose scope, which outlives the model's own scopes.
/// </remarks>
internal sealed class LayerCapture : IDisposable
{
    private readonly List<Action> _removers = [];
    private readonly Tensor?[] _activations;
    private DisposeScope? _scope;
    private bool _cutGraph;
    private bool _cut;
    private IDisposable? _gradientsOn;

    public LayerCapture(IReadOnlyList<nn.Module<Tensor, Tensor>> layers)
    {
        _activations = new Tensor?[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            int index = i;
            _removers.Add(layers[i].register_forward_hook((_, _, output) => OnForward(index, output)).remove);
        }
    }

    /// <summary>Starts capturing: the next forward pass is captured into <paramref name="scope"/>.</summary>
    /// <param name="scope">The scope that owns the captured tensors.</param>
    /// <param name="cutGraph">Whether the first target layer's output becomes a leaf that requires gradients.</param>
    public void Arm(DisposeScope scope, bool cutGraph)
    {
        _scope = scope;
        _cutGraph = cutGraph;
        _cut = false;
        Array.Clear(_activations);
    }

    /// <summary>Stops capturing and returns, per target layer, what was captured (null when the layer did not run).</summary>
    public Tensor?[] Disarm()
    {
        _gradientsOn?.Dispose(); // back to the caller's gradient mode
        _gradientsOn = null;
        var captured = (Tensor?[])_activations.Clone();
        _scope = null;
        Array.Clear(_activations);
        return captured;
    }

    private Tensor OnForward(int index, Tensor output)
    {
        if (_scope is null) return output;
        var kept = output;
        if (_cutGraph && !_cut)
        {
            kept = output.detach().requires_grad_(true);
            _cut = true;
            _gradientsOn = torch.enable_grad();
        }
        _activations[index]?.Dispose(); // a layer that runs twice per forward: the last run counts
        _activations[index] = kept.alias().KeepIn(_scope);
        return kept;
    }

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
