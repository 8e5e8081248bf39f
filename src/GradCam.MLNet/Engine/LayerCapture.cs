using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// A forward hook on the target layer that, while armed, replaces the layer's output by a detached leaf that
/// requires gradients. Everything before the layer therefore runs without building an autograd graph, and
/// the gradient of the class score with respect to the activations is exactly <c>autograd.grad(y^c, A)</c>.
/// </summary>
/// <remarks>
/// TorchSharp fires forward hooks only through <c>Module.call</c>, and <c>Sequential</c>/torchvision models
/// dispose intermediate tensors; the captured activation is therefore an alias moved into the caller's
/// dispose scope, which outlives the model's own scopes.
/// </remarks>
internal sealed class LayerCapture : IDisposable
{
    private readonly Action _removeHook;
    private DisposeScope? _scope;
    private Tensor? _activation;

    public LayerCapture(nn.Module<Tensor, Tensor> layer)
    {
        var hook = layer.register_forward_hook(OnForward);
        _removeHook = hook.remove;
    }

    /// <summary>Starts capturing: the next forward pass through the layer is captured into <paramref name="scope"/>.</summary>
    public void Arm(DisposeScope scope)
    {
        _scope = scope;
        _activation = null;
    }

    /// <summary>Stops capturing and returns what was captured (null when the layer did not run).</summary>
    public Tensor? Disarm()
    {
        var a = _activation;
        _scope = null;
        _activation = null;
        return a;
    }

    private Tensor OnForward(nn.Module<Tensor, Tensor> module, Tensor input, Tensor output)
    {
        if (_scope is null) return output;
        var leaf = output.detach().requires_grad_(true);
        _activation?.Dispose(); // a layer that runs twice per forward: the last run counts
        _activation = leaf.alias().KeepIn(_scope);
        return leaf;
    }

    public void Dispose() => _removeHook();
}
