using Onnx;

namespace GradCam.Onnx;

/// <summary>Finds an ONNX model's first output: a float graph output (class scores when it has them), or the logits feeding its final Softmax.</summary>
internal static class ClassOutput
{
    /// <summary>The tensor to explain and whether it is the input of the model's final Softmax/LogSoftmax.</summary>
    /// <exception cref="OnnxImportException">No float output.</exception>
    public static (string Tensor, bool EndsInSoftmax) Choose(ModelProto model, string source)
    {
        var graph = model.Graph;
        var floats = graph.Output.Where(o => (o.Type?.TensorType?.ElemType ?? 1) is 1 or 10 or 11 or 16).ToArray();
        if (floats.Length == 0)
            throw new OnnxImportException($"'{source}' has no class output: its outputs ({Describe(graph.Output)}) are not float scores [N, classes]");
        var output = floats.FirstOrDefault(o => o.Type?.TensorType?.Shape?.Dim.Count is null or 0 or 2 or 4) ?? floats[0];
        var producer = graph.Node.LastOrDefault(n => n.Output.Contains(output.Name));
        if (producer is { OpType: "Softmax" or "LogSoftmax" } && producer.Domain is "" or "ai.onnx")
        {
            int opset = OnnxImporter.OpsetOf(model, "");
            var axisAttribute = producer.Attribute.FirstOrDefault(a => a.Name == "axis");
            long axis = axisAttribute?.I ?? (opset >= 13 ? -1 : 1);
            if (axis is 1 or -1) return (producer.Input[0], true);
        }
        return (output.Name, false);
    }

    /// <summary>The number of classes of the imported output when it is <c>[N, classes]</c> up to trailing size-1 axes; null otherwise.</summary>
    public static int? Classes(OnnxGraph graph, string tensor, long batch)
    {
        var shape = graph.Layers.LastOrDefault(l => l.OutputName == tensor)?.Shape;
        if (shape is null || shape.Length < 2 || shape[0] != batch || shape.Skip(2).Any(d => d != 1) || shape[1] < 1) return null;
        return (int)shape[1];
    }

    private static string Describe(IEnumerable<ValueInfoProto> outputs) =>
        string.Join(", ", outputs.Select(o => $"{o.Name}: {OnnxTensors.NameOf(o.Type?.TensorType?.ElemType ?? 0)}"));
}
