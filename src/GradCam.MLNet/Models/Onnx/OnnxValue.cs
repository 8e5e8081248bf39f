using static TorchSharp.torch;

namespace GradCam.Models.Onnx;

/// <summary>
/// What the importer knows of one tensor of the graph: a constant (initializer, <c>Constant</c> node, or a node whose
/// inputs are all constant, folded at import), or a value computed at run time, with the value it took on the
/// import's trace input (its shape and layout tell converters and layer selection what it is).
/// </summary>
internal sealed class OnnxValue
{
    public OnnxValue(string name, Tensor value, bool isConstant)
    {
        Name = name;
        Value = value;
        IsConstant = isConstant;
    }

    /// <summary>The tensor's name in the graph.</summary>
    public string Name { get; }

    /// <summary>The constant, or the value traced at import.</summary>
    public Tensor Value { get; }

    /// <summary>
    /// For values computed at run time: the value on a second trace input with one more item (null once a node could
    /// not take it). An integer value equal on both traces is shape arithmetic, folded to a constant.
    /// </summary>
    public Tensor? Twin { get; init; }

    /// <summary>Whether the value is the same for every input.</summary>
    public bool IsConstant { get; }

    /// <summary>The slot of the value in the run-time graph; -1 until it is needed there.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>For 4-D values: channels last (<c>[N, H, W, C]</c>), as in Keras/tf2onnx graphs before their transposes.</summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Whether dimension 0 is the batch (it then follows the run-time batch size).</summary>
    public bool BatchMajor { get; init; }

    /// <summary>The traced shape.</summary>
    public long[] Shape => Value.shape;
}
