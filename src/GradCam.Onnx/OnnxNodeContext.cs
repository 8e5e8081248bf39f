using System.Text;
using Onnx;
using static TorchSharp.torch;
using AttributeType = Onnx.AttributeProto.Types.AttributeType;

namespace GradCam.Onnx;

/// <summary>
/// What a converter sees of one node: its attributes, the model's opset, which inputs are constant (and their values,
/// for the attributes that later opsets moved into inputs), and the traced shapes of its inputs.
/// </summary>
internal sealed class OnnxNodeContext
{
    private readonly IReadOnlyList<OnnxValue?> _inputs;
    private readonly Dictionary<string, AttributeProto> _attributes;

    public OnnxNodeContext(NodeProto node, int opset, IReadOnlyList<OnnxValue?> inputs, long traceBatch)
    {
        Node = node;
        Opset = opset;
        _inputs = inputs;
        TraceBatch = traceBatch;
        _attributes = node.Attribute.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last());
    }

    /// <summary>The node.</summary>
    public NodeProto Node { get; }

    /// <summary>The opset version of the node's domain in this model.</summary>
    public int Opset { get; }

    /// <summary>The batch size of the import's trace input.</summary>
    public long TraceBatch { get; }

    /// <summary>Set by a converter whose output's first dimension is no longer the batch (a transpose or reshape across it).</summary>
    public bool MovesBatch { get; set; }

    /// <summary>How many inputs the node lists (absent optional inputs included).</summary>
    public int InputCount => _inputs.Count;

    /// <summary>The node for messages: <c>node 'name' (Op, opset N)</c>.</summary>
    public string Describe => $"node '{(Node.Name.Length > 0 ? Node.Name : Node.Output.FirstOrDefault() ?? "?")}' ({Node.OpType}, opset {Opset})";

    /// <summary>An import error naming this node.</summary>
    public OnnxImportException Error(string message) => new($"{Describe}: {message}");

    /// <summary>Whether input <paramref name="index"/> is given (optional inputs may be absent or empty).</summary>
    public bool HasInput(int index) => index < _inputs.Count && _inputs[index] is not null;

    /// <summary>The importer's knowledge of an input.</summary>
    public OnnxValue Input(int index) => HasInput(index) ? _inputs[index]! : throw Error($"input {index} is required");

    /// <summary>The traced shape of an input.</summary>
    public long[] Shape(int index) => Input(index).Shape;

    /// <summary>The rank of an input.</summary>
    public int Rank(int index) => Input(index).Shape.Length;

    /// <summary>Whether an input is a constant.</summary>
    public bool IsConstant(int index) => HasInput(index) && _inputs[index]!.IsConstant;

    /// <summary>A constant input's integer values, or null when the input is absent.</summary>
    /// <exception cref="OnnxImportException">The input is computed at run time.</exception>
    public long[]? ConstantInts(int index, string what)
    {
        if (!HasInput(index)) return null;
        var value = _inputs[index]!;
        if (!value.IsConstant) throw Error($"{what} (input {index}, '{value.Name}') must be a constant for the model's fixed input size");
        using var longs = value.Value.to_type(ScalarType.Int64).flatten();
        return longs.data<long>().ToArray();
    }

    /// <summary>A constant input's first value as a double, or null when absent.</summary>
    public double? ConstantScalar(int index, string what)
    {
        if (!HasInput(index)) return null;
        var value = _inputs[index]!;
        if (!value.IsConstant) throw Error($"{what} (input {index}) must be a constant");
        if (value.Value.numel() == 0) return null;
        using var d = value.Value.to_type(ScalarType.Float64).flatten();
        return d[0].item<double>();
    }

    /// <summary>Whether the node has an attribute.</summary>
    public bool Has(string name) => _attributes.ContainsKey(name);

    /// <summary>An integer attribute.</summary>
    public long Int(string name, long fallback) => _attributes.TryGetValue(name, out var a) ? Expect(a, AttributeType.Int).I : fallback;

    /// <summary>A float attribute.</summary>
    public float Float(string name, float fallback) => _attributes.TryGetValue(name, out var a) ? Expect(a, AttributeType.Float).F : fallback;

    /// <summary>An integer-list attribute, or null.</summary>
    public long[]? Ints(string name) => _attributes.TryGetValue(name, out var a) ? Expect(a, AttributeType.Ints).Ints.ToArray() : null;

    /// <summary>A float-list attribute, or null.</summary>
    public float[]? Floats(string name) => _attributes.TryGetValue(name, out var a) ? Expect(a, AttributeType.Floats).Floats.ToArray() : null;

    /// <summary>A string attribute.</summary>
    public string String(string name, string fallback) =>
        _attributes.TryGetValue(name, out var a) ? Encoding.UTF8.GetString(Expect(a, AttributeType.String).S.Span) : fallback;

    /// <summary>A tensor attribute, or null.</summary>
    public TensorProto? TensorAttribute(string name) => _attributes.TryGetValue(name, out var a) ? Expect(a, AttributeType.Tensor).T : null;

    /// <summary>The names of the node's attributes.</summary>
    public IEnumerable<string> AttributeNames => _attributes.Keys;

    private AttributeProto Expect(AttributeProto a, AttributeType type)
    {
        // Old exporters leave the type unset; trust the field then.
        if (a.Type != AttributeType.Undefined && a.Type != type)
            throw Error($"attribute '{a.Name}' is a {a.Type}, expected {type}");
        return a;
    }
}
