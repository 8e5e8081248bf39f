using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// While armed, makes every ReLU of a model a <see cref="GuidedRelu"/>: forward hooks on the ReLU modules replace
/// their output, and on torchvision's residual blocks, whose last ReLU is functional, the block's output
/// (already non-negative) passes through a guided ReLU, which gives the same backward rule.
/// </summary>
internal sealed class GuidedReluHooks : IDisposable
{
    private readonly List<Action> _removers = [];
    private bool _armed;

    public GuidedReluHooks(nn.Module model)
    {
        foreach (var (_, module) in model.named_modules())
        {
            if (module is TorchSharp.Modules.ReLU relu)
                _removers.Add(relu.register_forward_hook((_, input, output) => _armed ? GuidedRelu.apply(input) : output).remove);
            else if (module is nn.Module<Tensor, Tensor> block && EndsInFunctionalRelu(block))
                _removers.Add(block.register_forward_hook((_, _, output) => _armed ? GuidedRelu.apply(output) : output).remove);
        }
        Count = _removers.Count;
    }

    /// <summary>How many modules are guided.</summary>
    public int Count { get; }

    public IDisposable Arm()
    {
        _armed = true;
        return new Disarm(this);
    }

    public void Dispose()
    {
        foreach (var remove in _removers) remove();
        _removers.Clear();
    }

    private static bool EndsInFunctionalRelu(nn.Module module) =>
        module.GetType().FullName is "TorchSharp.Modules.ResNet+BasicBlock" or "TorchSharp.Modules.ResNet+Bottleneck";

    private sealed class Disarm(GuidedReluHooks owner) : IDisposable
    {
        public void Dispose() => owner._armed = false;
    }
}
