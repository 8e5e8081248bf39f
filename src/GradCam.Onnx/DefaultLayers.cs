using GradCam.Engine;
using Onnx;

namespace GradCam.Onnx;

/// <summary>
/// The layer an imported graph is explained at when none is named: for a CNN classifier its last feature map; for a
/// vision transformer the last block's first normalisation (the final normalisation feeds only the class token to the
/// head, so patch tokens get no gradient there); for a detector or another model without class scores, the last
/// feature map a convolution reads (the neck, not the head's own output).
/// </summary>
internal static class DefaultLayers
{
    public static string? Choose(OnnxGraph graph, ModelProto model, long inputHeight, long inputWidth, bool isClassifier)
    {
        var layers = graph.Layers;
        int lastMap = LastIndex(layers, l => l.IsFeatureMap && IsChannelsFirst(l, inputHeight, inputWidth));
        var norms = Normalisations(model);
        int lastNorm = LastIndex(layers, l => norms.Contains(l.OutputName) && IsTokenMap(l, inputHeight, inputWidth));
        if (lastNorm > lastMap)
        {
            var tokenNorms = layers.Where(l => norms.Contains(l.OutputName) && IsTokenMap(l, inputHeight, inputWidth)).Select(l => l.DisplayName).Distinct().ToList();
            // Pre-norm blocks end with [..., norm1, norm2, final norm]: the last block's first is third from the end.
            return tokenNorms.Count >= 3 ? tokenNorms[^3] : tokenNorms[^1];
        }
        if (!isClassifier)
        {
            var convInputs = model.Graph.Node.Where(n => n.OpType == "Conv").Select(n => n.Input[0]).ToHashSet();
            int neck = LastIndex(layers, l => l.IsFeatureMap && convInputs.Contains(l.OutputName));
            if (neck >= 0) return layers[neck].DisplayName;
        }
        return lastMap >= 0 ? layers[lastMap].DisplayName : null;
    }

    /// <summary>Outputs of LayerNormalization nodes, and of LayerNorms exported as ReduceMean … Sqrt, Div, Mul, Add.</summary>
    private static HashSet<string> Normalisations(ModelProto model)
    {
        var producers = new Dictionary<string, NodeProto>();
        foreach (var node in model.Graph.Node)
            foreach (var output in node.Output) producers[output] = node;
        NodeProto? From(string tensor, string op) => producers.TryGetValue(tensor, out var n) && n.OpType == op ? n : null;

        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in model.Graph.Node)
        {
            if (node.OpType == "LayerNormalization") { result.Add(node.Output[0]); continue; }
            if (node.OpType != "Add") continue;
            var mul = node.Input.Select(i => From(i, "Mul")).FirstOrDefault(m => m is not null);
            var div = mul?.Input.Select(i => From(i, "Div")).FirstOrDefault(d => d is not null);
            if (div is { Input.Count: 2 } && From(div.Input[1], "Sqrt") is not null) result.Add(node.Output[0]);
        }
        return result;
    }

    private static bool IsChannelsFirst(OnnxGraph.LayerEntry layer, long h, long w) =>
        layer.ChannelsLast || FeatureMapLayout.Infer(layer.Shape, h, w, layer.DisplayName).Kind == FeatureMapKind.ChannelsFirst;

    /// <summary>Whether a layer outputs tokens on a grid over the input, <c>[N, extra + h·w, C]</c>.</summary>
    public static bool IsTokenMap(OnnxGraph.LayerEntry layer, long h, long w)
    {
        if (layer.Shape.Length != 3) return false;
        try { return FeatureMapLayout.Infer(layer.Shape, h, w, layer.DisplayName).Kind == FeatureMapKind.Tokens; }
        catch (ArgumentException) { return false; }
    }

    private static int LastIndex(IReadOnlyList<OnnxGraph.LayerEntry> layers, Func<OnnxGraph.LayerEntry, bool> predicate)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
            if (predicate(layers[i])) return i;
        return -1;
    }
}
