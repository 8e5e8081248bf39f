using Onnx;

namespace GradCam.Onnx;

/// <summary>
/// Joins ONNX models end to end into one graph, the output of each feeding the single input of the next (as ML.NET's
/// image featurizer runs its preprocessing model before the network). Every name of an earlier model is prefixed so
/// that nothing collides; the last model keeps its names, so its layers are addressed as in its own file.
/// </summary>
public static class OnnxChain
{
    /// <summary>Joins models in order into one.</summary>
    /// <param name="models">The models with their source names (for messages).</param>
    /// <returns>One model whose input is the first model's and whose outputs are the last model's.</returns>
    public static ModelProto Join(IReadOnlyList<(ModelProto Model, string Source)> models)
    {
        if (models.Count == 0) throw new ArgumentException("no model to chain", nameof(models));
        var (joined, _) = models[^1];
        int opset = OnnxImporter.OpsetOf(joined, "");
        for (int m = models.Count - 2; m >= 0; m--)
        {
            var (first, source) = models[m];
            if (OnnxImporter.OpsetOf(first, "") != opset)
                throw new OnnxImportException($"'{source}' is at opset {OnnxImporter.OpsetOf(first, "")} and the model it feeds at {opset}; chained models must share an opset");
            joined = Prepend(first, joined, $"stage{m}/", source);
        }
        return joined;
    }

    private static ModelProto Prepend(ModelProto first, ModelProto second, string prefix, string source)
    {
        var firstInitializers = first.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var firstInputs = first.Graph.Input.Where(i => !firstInitializers.Contains(i.Name)).ToList();
        var secondInitializers = second.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var secondInputs = second.Graph.Input.Where(i => !secondInitializers.Contains(i.Name)).ToList();
        if (first.Graph.Output.Count != 1 || secondInputs.Count != 1)
            throw new OnnxImportException($"'{source}' must have one output ({first.Graph.Output.Count}) feeding a model with one input ({secondInputs.Count})");
        string bridge = secondInputs[0].Name;
        string firstOutput = first.Graph.Output[0].Name;
        var keep = firstInputs.Select(i => i.Name).ToHashSet();
        string Rename(string name) => name.Length == 0 || keep.Contains(name) ? name : name == firstOutput ? bridge : prefix + name;

        var result = second.Clone();
        result.Graph.Input.Clear();
        result.Graph.Input.AddRange(firstInputs.Select(i => i.Clone()));
        result.Graph.Input.AddRange(second.Graph.Input.Where(i => secondInitializers.Contains(i.Name)).Select(i => i.Clone()));
        var nodes = first.Graph.Node.Select(n =>
        {
            var copy = n.Clone();
            copy.Name = n.Name.Length > 0 ? prefix + n.Name : "";
            for (int i = 0; i < copy.Input.Count; i++) copy.Input[i] = Rename(copy.Input[i]);
            for (int i = 0; i < copy.Output.Count; i++) copy.Output[i] = Rename(copy.Output[i]);
            return copy;
        }).ToList();
        result.Graph.Node.Clear();
        result.Graph.Node.AddRange(nodes);
        result.Graph.Node.AddRange(second.Graph.Node.Select(n => n.Clone()));
        result.Graph.Initializer.Clear();
        result.Graph.Initializer.AddRange(first.Graph.Initializer.Select(t => { var c = t.Clone(); c.Name = Rename(c.Name); return c; }));
        result.Graph.Initializer.AddRange(second.Graph.Initializer.Select(t => t.Clone()));
        return result;
    }
}
