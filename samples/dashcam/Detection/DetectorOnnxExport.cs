using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Dashcam.Detection;

/// <summary>
/// Writes the trained <see cref="DetectorNet"/> as an ONNX model (opset 13) in YOLOv8's raw output layout, as a user
/// would export their detector: convolutions and ReLUs, then the decoding (sigmoid, the cell grid, the stride) in graph
/// operators, so that any ONNX runtime gives the same boxes.
/// </summary>
public static class DetectorOnnxExport
{
    /// <summary>Writes the model.</summary>
    /// <param name="net">The trained network.</param>
    /// <param name="height">The input height.</param>
    /// <param name="width">The input width.</param>
    /// <param name="path">The <c>.onnx</c> file.</param>
    public static void Write(DetectorNet net, int height, int width, string path)
    {
        var graph = new GraphProto { Name = "dashcam-detector" };
        graph.Input.Add(Value("images", [-1, 3, height, width]));
        string x = "images";
        foreach (var (name, conv, relu) in net.Layers)
        {
            var c = (TorchSharp.Modules.Conv2d)conv;
            graph.Initializer.Add(Tensor($"{name}.weight", c.weight!));
            graph.Initializer.Add(Tensor($"{name}.bias", c.bias!));
            var node = new NodeProto { Name = $"/{name}/Conv", OpType = "Conv", Input = { x, $"{name}.weight", $"{name}.bias" }, Output = { $"/{name}/Conv_output_0" } };
            long k = c.weight!.shape[2];
            node.Attribute.Add(Ints("kernel_shape", k, k));
            node.Attribute.Add(Ints("strides", c.stride[0], c.stride[1]));
            node.Attribute.Add(Ints("pads", k / 2, k / 2, k / 2, k / 2));
            graph.Node.Add(node);
            x = node.Output[0];
            if (!relu) continue;
            graph.Node.Add(new NodeProto { Name = $"/{name}/Relu", OpType = "Relu", Input = { x }, Output = { $"/{name}/Relu_output_0" } });
            x = $"/{name}/Relu_output_0";
        }

        int h = height / DetectorNet.Stride, w = width / DetectorNet.Stride, fields = 4 + net.Classes;
        using (var grid = DetectorNet.Grid(h, w)) graph.Initializer.Add(Tensor("grid", grid));
        using (var stride = torch.tensor(new float[] { DetectorNet.Stride })) graph.Initializer.Add(Tensor("stride", stride));
        using (var size = torch.tensor(new float[] { w * DetectorNet.Stride, h * DetectorNet.Stride }).view(1, 2, 1, 1)) graph.Initializer.Add(Tensor("size", size));
        graph.Initializer.Add(Longs("xy_start", 0)); graph.Initializer.Add(Longs("xy_end", 2));
        graph.Initializer.Add(Longs("wh_end", 4)); graph.Initializer.Add(Longs("cls_end", fields));
        graph.Initializer.Add(Longs("axis1", 1));
        graph.Initializer.Add(Longs("shape", 0, fields, -1));
        Add(graph, "Sigmoid", [x], "/decode/Sigmoid");
        Add(graph, "Slice", ["/decode/Sigmoid", "xy_start", "xy_end", "axis1"], "/decode/xy");
        Add(graph, "Add", ["/decode/xy", "grid"], "/decode/cells");
        Add(graph, "Mul", ["/decode/cells", "stride"], "/decode/centre");
        Add(graph, "Slice", ["/decode/Sigmoid", "xy_end", "wh_end", "axis1"], "/decode/wh");
        Add(graph, "Mul", ["/decode/wh", "size"], "/decode/size");
        Add(graph, "Slice", ["/decode/Sigmoid", "wh_end", "cls_end", "axis1"], "/decode/scores");
        var concat = Add(graph, "Concat", ["/decode/centre", "/decode/size", "/decode/scores"], "/decode/Concat");
        concat.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        var reshape = Add(graph, "Reshape", ["/decode/Concat", "shape"], "output0");
        graph.Output.Add(Value("output0", [-1, fields, h * w]));

        var model = new ModelProto { IrVersion = 8, ProducerName = "gradcam dashcam train-detector", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        using var file = File.Create(path);
        model.WriteTo(file);
    }

    private static NodeProto Add(GraphProto graph, string op, string[] inputs, string output)
    {
        var node = new NodeProto { Name = output, OpType = op, Output = { output } };
        node.Input.AddRange(inputs);
        graph.Node.Add(node);
        return node;
    }

    private static ValueInfoProto Value(string name, long[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        foreach (long d in shape)
            tensor.Shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "n" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    private static TensorProto Tensor(string name, Tensor value)
    {
        using var cpu = value.detach().cpu().contiguous().to_type(ScalarType.Float32);
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(cpu.bytes) };
        proto.Dims.AddRange(cpu.shape);
        return proto;
    }

    private static TensorProto Longs(string name, params long[] values)
    {
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        return proto;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }
}
