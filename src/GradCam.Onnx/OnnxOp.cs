using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// One imported ONNX node as a TorchSharp module: the node's inputs in (absent optional inputs are null), its outputs
/// out. Attributes are read once at import; weights arrive as inputs, like any other tensor of the graph.
/// </summary>
internal abstract class OnnxOp : nn.Module<Tensor?[], Tensor[]>
{
    protected OnnxOp(string name) : base(name)
    {
    }
}

/// <summary>A node with one output computed by a function of its inputs: most ONNX operators.</summary>
internal sealed class FuncOp : OnnxOp
{
    private readonly Func<Tensor?[], Tensor> _compute;

    public FuncOp(string opType, Func<Tensor?[], Tensor> compute) : base(opType) => _compute = compute;

    public override Tensor[] forward(Tensor?[] inputs) => [_compute(inputs)];
}

/// <summary>A node whose single output is a TorchSharp module applied to its first input (ReLU, so that module hooks see it).</summary>
internal sealed class ModuleOp : OnnxOp
{
    private readonly nn.Module<Tensor, Tensor> _module;

    public ModuleOp(string opType, nn.Module<Tensor, Tensor> module) : base(opType)
    {
        _module = module;
        register_module("op", module);
    }

    public override Tensor[] forward(Tensor?[] inputs) => [_module.call(inputs[0]!)];
}

/// <summary>A node with several outputs (Split).</summary>
internal sealed class MultiOp : OnnxOp
{
    private readonly Func<Tensor?[], Tensor[]> _compute;

    public MultiOp(string opType, Func<Tensor?[], Tensor[]> compute) : base(opType) => _compute = compute;

    public override Tensor[] forward(Tensor?[] inputs) => _compute(inputs);
}
