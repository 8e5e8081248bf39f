using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// What the importer knows of one tensor of the graph: a constant (initializer, <c>Constant</c> node, or a node whose
/// inputs are all constant, folded at import), or a value computed at run time, with the value it took on the
/// import's trace input (its shape and layout tell converters and layer selection what it is).
/// </summary>
internal sealed class OnnxValue
{
    private Tensor? _value;

    public OnnxValue(string name, Tensor value, bool isConstant)
    {
        Name = name;
        _value = value;
        Shape = value.shape;
        ElementType = value.dtype;
        IsConstant = isConstant;
    }

    /// <summary>The tensor's name in the graph.</summary>
    public string Name { get; }

    /// <summary>The constant, or the value traced at import.</summary>
    public Tensor Value => _value ?? throw new InvalidOperationException($"the trace of '{Name}' was already released");

    /// <summary>
    /// For values computed at run time: the value on a second trace input with one more item (null once a node could
    /// not take it). An integer value equal on both traces is shape arithmetic, folded to a constant.
    /// </summary>
    public Tensor? Twin { get; private set; }

    /// <summary>Whether the traced tensors are still held.</summary>
    public bool Traced => _value is not null;

    /// <summary>Sets the twin trace.</summary>
    public OnnxValue WithTwin(Tensor? twin)
    {
        Twin = twin;
        return this;
    }

    /// <summary>Frees the traced tensors once no node reads them any more (the shape stays known).</summary>
    public void ReleaseTrace()
    {
        _value?.Dispose();
        _value = null;
        Twin?.Dispose();
        Twin = null;
    }

    /// <summary>Whether the value is the same for every input.</summary>
    public bool IsConstant { get; }

    /// <summary>The slot of the value in the run-time graph; -1 until it is needed there.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>For 4-D values: channels last (<c>[N, H, W, C]</c>), as in Keras/tf2onnx graphs before their transposes.</summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Whether dimension 0 is the batch (it then follows the run-time batch size).</summary>
    public bool BatchMajor { get; init; }

    /// <summary>The element type.</summary>
    public ScalarType ElementType { get; }

    /// <summary>The traced shape.</summary>
    public long[] Shape { get; }
}
