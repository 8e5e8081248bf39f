using Google.Protobuf;
using Onnx;

namespace GradCam.Testing;

/// <summary>Builds small ONNX models through the protobuf classes: inputs, initializers, nodes and outputs at an opset.</summary>
public sealed class OnnxTestGraph
{
    private readonly ModelProto _model;
    private readonly Random _random = new(42);

    public OnnxTestGraph(int opset)
    {
        Opset = opset;
        _model = new ModelProto { IrVersion = opset >= 21 ? 10 : opset >= 15 ? 8 : 7, ProducerName = "gradcam-tests", Graph = new GraphProto { Name = "test" } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public int Opset { get; }

    /// <summary>The dynamic inputs with their shapes and random values.</summary>
    public Dictionary<string, (float[] Data, int[] Shape)> Inputs { get; } = new();

    public OnnxTestGraph Input(string name, params int[] shape)
    {
        _model.Graph.Input.Add(ValueInfo(name, shape));
        Inputs[name] = (RandomFloats(shape.Aggregate(1, (a, b) => a * b)), shape);
        return this;
    }

    public OnnxTestGraph Floats(string name, int[] shape, float[]? values = null)
    {
        var data = values ?? RandomFloats(shape.Aggregate(1, (a, b) => a * b));
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        var bytes = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _model.Graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxTestGraph Ints(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _model.Graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxTestGraph Ints(string name, int[] shape, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(shape.Select(d => (long)d));
        tensor.Int64Data.AddRange(values);
        _model.Graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxTestGraph Scalar(string name, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        _model.Graph.Initializer.Add(tensor);
        return this;
    }

    public OnnxTestGraph Node(string op, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_model.Graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes) node.Attribute.Add(Attribute(name, value));
        _model.Graph.Node.Add(node);
        return this;
    }

    public OnnxTestGraph Output(params string[] names)
    {
        foreach (var name in names)
            _model.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        return this;
    }

    public ModelProto Model => _model;

    /// <summary>
    /// A small CNN classifier, <c>input [batch, 3, size, size]</c> → conv, relu, max pool, conv, relu → global average
    /// pool → flatten → gemm → (softmax): the layers are named <c>conv1</c>, <c>relu1</c>, <c>pool</c>, <c>conv2</c>, <c>relu2</c>.
    /// </summary>
    public static OnnxTestGraph TinyClassifier(int opset = 13, string? final = "Softmax", int classes = 3, int size = 32, int batch = 1)
    {
        var g = new OnnxTestGraph(opset).Input("input", batch, 3, size, size)
            .Floats("w1", [8, 3, 3, 3]).Floats("b1", [8]).Floats("w2", [8, 8, 3, 3]).Floats("b2", [8]).Floats("fc", [classes, 8]).Floats("fcb", [classes])
            .Node("Conv", ["input", "w1", "b1"], ["c1"], ("pads", new long[] { 1, 1, 1, 1 })).Named("conv1")
            .Node("Relu", ["c1"], ["r1"]).Named("relu1")
            .Node("MaxPool", ["r1"], ["p1"], ("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })).Named("pool")
            .Node("Conv", ["p1", "w2", "b2"], ["c2"], ("pads", new long[] { 1, 1, 1, 1 })).Named("conv2")
            .Node("Relu", ["c2"], ["r2"]).Named("relu2")
            .Node("GlobalAveragePool", ["r2"], ["gap"]).Node("Flatten", ["gap"], ["flat"])
            .Node("Gemm", ["flat", "fc", "fcb"], [final is null ? "scores" : "logits"], ("transB", 1L));
        if (final is not null) g.Node(final, ["logits"], ["scores"], opset >= 13 ? [] : [("axis", 1L)]);
        g._model.Graph.Output.Add(ValueInfo("scores", [batch, classes]));  // with its shape, as exporters write it (ML.NET needs it)
        return g;
    }

    /// <summary>Names the last node added.</summary>
    public OnnxTestGraph Named(string name)
    {
        _model.Graph.Node[^1].Name = name;
        return this;
    }

    /// <summary>Writes the model to a file.</summary>
    public string Save(string path)
    {
        File.WriteAllBytes(path, Bytes());
        return path;
    }

    public byte[] Bytes() => _model.ToByteArray();

    public static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case long i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints); break;
            case float[] floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats); break;
            case TensorProto t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = t; break;
            default: throw new ArgumentException($"attribute {name}: unsupported value {value}");
        }
        return a;
    }

    private static ValueInfoProto ValueInfo(string name, int[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = new TensorShapeProto() };
        foreach (var d in shape) tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private float[] RandomFloats(int count) => Enumerable.Range(0, count).Select(_ => (float)(_random.NextDouble() * 4 - 2)).ToArray();
}
