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
/// <para>Token and channels-last outputs (<see cref="FeatureMapLayout"/>) are captured as their <c>[N, C, h, w]</c> view,
/// and the layer's output is rebuilt from that view, so gradients reach the captured map.</para>
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
    private readonly IReadOnlyList<string> _names;
    private long _inputHeight, _inputWidth;

    public LayerCapture(IReadOnlyList<nn.Module<Tensor, Tensor>> layers, IReadOnlyList<string> names)
    {
        _names = names;
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
    /// <param name="inputHeight">The input's height: token grids are inferred from it.</param>
    /// <param name="inputWidth">The input's width.</param>
    public void Arm(DisposeScope scope, bool cutGraph, long inputHeight, long inputWidth)
    {
        _inputHeight = inputHeight;
        _inputWidth = inputWidth;
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
        var layout = FeatureMapLayout.Infer(output.shape, _inputHeight, _inputWidth, _names[index]);
        var map = layout.ToMap(output);
        if (_cutGraph && !_cut)
        {
            map = map.detach().requires_grad_(true);
            _cut = true;
            _gradientsOn = torch.enable_grad();
        }
        _activations[index]?.Dispose(); // a layer that runs twice per forward: the last run counts
        _activations[index] = map.alias().KeepIn(_scope);
        // The rest of the network reads the output rebuilt from the map, so that the map is on the gradient's path.
        return layout.Kind == FeatureMapKind.ChannelsFirst ? map : layout.FromMap(map, output);
    }

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }
}
