using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// The hybrid engine of an <see cref="OnnxGraph"/>: the nodes up to the earliest captured layer run on another runtime
/// (<see cref="IOnnxPrefixRuntime"/>, e.g. ONNX Runtime), whose outputs are every tensor the remaining nodes read; those
/// run in TorchSharp as usual, so captures, gradients and methods behave exactly as in the full TorchSharp graph.
/// With no captured layer the whole graph runs on the other runtime.
/// </summary>
internal sealed class OnnxHybridRunner : IDisposable
{
    private readonly IOnnxPrefixRuntime _runtime;
    private readonly Dictionary<int, Plan> _plans = new();

    public OnnxHybridRunner(IOnnxPrefixRuntime runtime) => _runtime = runtime;

    public string RuntimeName => _runtime.Name;

    /// <summary>The first part for a split after a step: its session, the tensors it hands over, and the first step TorchSharp runs.</summary>
    public sealed record Plan(IOnnxPrefixSession Session, string[] Names, int[] Slots, int FirstTorchStep);

    public Plan PlanFor(int last, Func<int, (byte[] Model, string[] Names, int[] Slots)> build)
    {
        if (_plans.TryGetValue(last, out var plan)) return plan;
        var (model, names, slots) = build(last);
        plan = new Plan(_runtime.Open(model), names, slots, last + 1);
        _plans[last] = plan;
        return plan;
    }

    public void Dispose()
    {
        foreach (var plan in _plans.Values) plan.Session.Dispose();
        _plans.Clear();
    }
}
