using GradCam.Onnx.Converters;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>What the importer needs beyond the model: the input shapes and layouts, and which outputs to produce.</summary>
/// <param name="InputShapes">The full shape of every graph input (dynamic dimensions resolved), by name.</param>
/// <param name="ChannelsLastInputs">The inputs that are channels-last images (the module then takes them as NCHW).</param>
/// <param name="Outputs">The tensors the module returns, in order: graph outputs or any other tensor of the graph.</param>
/// <param name="BaseDirectory">The model file's folder, for external data; null when the model came from memory.</param>
internal sealed record OnnxImportSettings(IReadOnlyDictionary<string, long[]> InputShapes, IReadOnlySet<string> ChannelsLastInputs,
                                          IReadOnlyList<string> Outputs, string? BaseDirectory);

/// <summary>
/// Imports an ONNX graph into an <see cref="OnnxGraph"/>: initializers become constants, each node is converted by the
/// <see cref="OnnxConverterRegistry"/> and run once on a trace input of the model's fixed size (which folds nodes whose
/// inputs are all constant, and gives every tensor a shape), and nodes the outputs do not need are dropped. Every
/// failure surfaces here, at import, naming the node.
/// </summary>
internal static class OnnxImporter
{
    public static OnnxGraph Import(string name, ModelProto model, OnnxImportSettings settings)
    {
        var graph = model.Graph ?? throw new OnnxImportException("the model has no graph");
        int opset = OpsetOf(model, "");
        if (opset < OnnxConverterRegistry.MinOpset)
            throw new OnnxImportException($"the model's opset is {opset}; opsets {OnnxConverterRegistry.MinOpset} to {OnnxConverterRegistry.MaxOpset} are imported (re-export it, or convert it with onnx.version_converter)");

        var values = new Dictionary<string, OnnxValue>(StringComparer.Ordinal);
        var initializers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var steps = new List<(NodeProto Node, int Index, OnnxOp Op, OnnxValue?[] Inputs, OnnxValue[] Outputs)>();
        var folded = new HashSet<string>(StringComparer.Ordinal);
        bool success = false;
        using var noGrad = torch.no_grad();
        try
        {
            using var random = new torch.Generator(20260101);
            long released = 0;
            foreach (var initializer in graph.Initializer)
            {
                var tensor = OnnxTensors.ToTorch(initializer, settings.BaseDirectory);
                values[initializer.Name] = new OnnxValue(initializer.Name, tensor, isConstant: true);
                initializers[initializer.Name] = tensor;
                // The proto keeps the graph; the weights live on as tensors (written back by OnnxGraph.WriteOnnx).
                OnnxTensors.ClearData(initializer);
                // The parsed bytes are garbage now; collect them before large models hold both copies at once.
                released += tensor.NumberOfElements * tensor.ElementSize;
                if (released > 64L << 20)
                {
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true); // and give the memory back
                    released = 0;
                }
            }
            foreach (var input in graph.Input.Where(i => !values.ContainsKey(i.Name)))
            {
                if (!settings.InputShapes.TryGetValue(input.Name, out var shape))
                    throw new OnnxImportException($"no shape given for input '{input.Name}'");
                var elementType = input.Type?.TensorType?.ElemType ?? 1;
                if (elementType != (int)TensorProto.Types.DataType.Float)
                    throw new OnnxImportException($"input '{input.Name}' is of type {OnnxTensors.NameOf(elementType)}; only float inputs are supported");
                var twinShape = (long[])shape.Clone();
                twinShape[0] += 1;
                bool channelsLast = settings.ChannelsLastInputs.Contains(input.Name);
                // Shapes are given as NCHW, as the module takes images; a channels-last graph sees them transposed.
                Tensor Trace(long[] s)
                {
                    var image = torch.randn(s, generator: random);
                    if (!channelsLast) return image;
                    using (image) return image.permute(0, 2, 3, 1).contiguous();
                }
                values[input.Name] = new OnnxValue(input.Name, Trace(shape), isConstant: false)
                {
                    BatchMajor = true,
                    ChannelsLast = settings.ChannelsLastInputs.Contains(input.Name),
                }.WithTwin(Trace(twinShape));
            }
            long traceBatch = settings.InputShapes.Values.FirstOrDefault()?.FirstOrDefault() ?? 1;
            bool batchFollows = true;
            string? fixedBatchAt = null;

            var lastReader = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int n = 0; n < graph.Node.Count; n++)
                foreach (var input in graph.Node[n].Input) lastReader[input] = n;
            var kept = settings.Outputs.ToHashSet();
            int index = -1;
            foreach (var node in graph.Node)
            {
                index++;
                string domain = node.Domain is "ai.onnx" ? "" : node.Domain;
                string nodeName = node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? node.OpType;
                var inputs = node.Input.Select(n => n.Length == 0 ? null
                    : values.TryGetValue(n, out var v) ? v
                    : throw new OnnxImportException($"node '{nodeName}' ({node.OpType}) reads '{n}', which no earlier node, input or initializer produces (the graph must be topologically sorted)")).ToArray();
                var context = new OnnxNodeContext(node, OpsetOf(model, domain), inputs, traceBatch);
                var converter = OnnxConverterRegistry.Resolve(domain, node.OpType, context.Opset, nodeName);
                OnnxOp op;
                Tensor[] traced;
                Tensor[]? twins = null;
                try
                {
                    op = converter.Convert(context);
                    traced = op.forward(inputs.Select(v => v?.Value).ToArray());
                    if (batchFollows && inputs.Any(v => v is { IsConstant: false }))
                    {
                        try
                        {
                            twins = op.forward(inputs.Select(v => v is null ? null : v.IsConstant ? v.Value : v.Twin).ToArray());
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            // The graph fixes its batch size here: it runs, but only on batches of the traced size.
                            batchFollows = false;
                            fixedBatchAt = $"{context.Describe}: {FirstLine(e.Message)}";
                        }
                    }
                }
                catch (OnnxImportException)
                {
                    throw;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw context.Error(FirstLine(e.Message));
                }
                var outputNames = node.Output.ToArray();
                if (traced.Length < outputNames.Count(o => o.Length > 0))
                    throw context.Error($"produced {traced.Length} output(s), the node names {outputNames.Length}");

                bool constant = inputs.All(v => v is null || v.IsConstant)
                                || twins is not null && Enumerable.Range(0, outputNames.Length).All(i => SameShapeArithmetic(traced[i], twins[i]));
                var outputs = new OnnxValue[outputNames.Length];
                for (int i = 0; i < outputNames.Length; i++)
                {
                    var value = traced[i];
                    if (inputs.Any(v => ReferenceEquals(v?.Value, value))) value = value.alias();
                    var twin = constant || twins is null ? null : inputs.Any(v => ReferenceEquals(v?.Twin, twins[i])) ? twins[i].alias() : twins[i];
                    outputs[i] = new OnnxValue(outputNames[i], value, constant)
                    {
                        ChannelsLast = !constant && Layout.ChannelsLast(context, value),
                        BatchMajor = !constant && !context.MovesBatch && inputs.Any(v => v is { IsConstant: false, BatchMajor: true }),
                    }.WithTwin(twin);
                    if (outputNames[i].Length > 0) values[outputNames[i]] = outputs[i];
                }
                for (int i = outputNames.Length; i < traced.Length; i++) traced[i].Dispose();
                if (twins is not null)
                    for (int i = 0; i < twins.Length; i++)
                        if (constant || i >= outputNames.Length) twins[i].Dispose();
                if (constant)
                {
                    op.Dispose();
                    if (node.Name.Length > 0) folded.Add(node.Name);
                    foreach (var o in outputNames) folded.Add(o);
                }
                else
                {
                    steps.Add((node, index, op, inputs, outputs));
                }
                // A traced activation nobody reads any more is freed: the import holds about one inference's activations.
                foreach (var input in inputs)
                    if (input is { IsConstant: false } && lastReader[input.Name] == index && !kept.Contains(input.Name))
                        input.ReleaseTrace();
            }

            var result = Assemble(name, model, settings, values, steps, folded, initializers);
            result.FixedBatch = batchFollows ? null : (traceBatch, fixedBatchAt!);
            success = true;
            return result;
        }
        finally
        {
            // Traced values and folded constants the graph does not keep are freed here; on failure, everything.
            foreach (var value in values.Values)
            {
                bool kept = success && value.IsConstant && (value.Slot >= 0 || initializers.ContainsKey(value.Name) && ReferenceEquals(initializers[value.Name], value.Value));
                if (!kept) value.ReleaseTrace();
            }
            if (!success)
                foreach (var step in steps) step.Op.Dispose();
        }
    }

    private static OnnxGraph Assemble(string name, ModelProto model, OnnxImportSettings settings, Dictionary<string, OnnxValue> values,
                                      List<(NodeProto Node, int Index, OnnxOp Op, OnnxValue?[] Inputs, OnnxValue[] Outputs)> steps,
                                      HashSet<string> folded, Dictionary<string, Tensor> initializers)
    {
        var outputs = settings.Outputs.Select(o => values.TryGetValue(o, out var v) ? v
            : throw new OnnxImportException($"output '{o}' is not a tensor of the graph")).ToArray();
        if (outputs.FirstOrDefault(o => o.IsConstant) is { } constantOutput)
            throw new OnnxImportException($"output '{constantOutput.Name}' does not depend on the input");

        // Keep only the steps the outputs need.
        var needed = new HashSet<OnnxValue>(outputs);
        var live = new bool[steps.Count];
        for (int s = steps.Count - 1; s >= 0; s--)
        {
            if (!steps[s].Outputs.Any(needed.Contains)) continue;
            live[s] = true;
            foreach (var input in steps[s].Inputs) if (input is not null) needed.Add(input);
        }
        var unused = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var n in folded) unused[n] = "was folded to a constant at import (it does not depend on the input)";
        for (int s = 0; s < steps.Count; s++)
        {
            if (live[s]) continue;
            if (steps[s].Node.Name.Length > 0) unused[steps[s].Node.Name] = "does not contribute to the model's output";
            foreach (var o in steps[s].Outputs) unused[o.Name] = "does not contribute to the model's output";
            steps[s].Op.Dispose();
        }

        int slots = 0;
        int SlotOf(OnnxValue v) => v.Slot >= 0 ? v.Slot : v.Slot = slots++;
        var inputs = model.Graph.Input.Where(i => settings.InputShapes.ContainsKey(i.Name) && !initializers.ContainsKey(i.Name))
            .Select(i => (SlotOf(values[i.Name]), settings.ChannelsLastInputs.Contains(i.Name))).ToList();
        var constants = new List<(int, Tensor)>();
        var runSteps = new List<OnnxGraph.Step>();
        var layers = new List<OnnxGraph.LayerEntry>();
        for (int s = 0; s < steps.Count; s++)
        {
            if (!live[s]) continue;
            var (node, nodeIndex, op, stepInputs, stepOutputs) = steps[s];
            var inSlots = stepInputs.Select(v =>
            {
                if (v is null) return -1;
                if (v.IsConstant && v.Slot < 0) constants.Add((SlotOf(v), v.Value));
                return SlotOf(v);
            }).ToArray();
            var outSlots = stepOutputs.Select(SlotOf).ToArray();
            runSteps.Add(new OnnxGraph.Step(op, inSlots, outSlots, nodeIndex));
            foreach (var o in stepOutputs.Where(o => o.Name.Length > 0))
                layers.Add(new OnnxGraph.LayerEntry(node.Name, node.OpType, o.Name, o.Shape, o.ChannelsLast, o.Slot));
        }
        var outputSlots = outputs.Select(SlotOf).ToArray();
        if (inputs.Count == 0) throw new OnnxImportException("the graph has no input");
        var slotNames = new string[slots];
        var slotTypes = new ScalarType[slots];
        foreach (var v in values.Values.Concat(steps.SelectMany(s => s.Outputs)))
            if (v.Slot >= 0)
            {
                slotNames[v.Slot] = v.Name;
                slotTypes[v.Slot] = v.ElementType;
            }
        return new OnnxGraph(name, model, runSteps, slots, constants, inputs, outputSlots, layers, unused, initializers, slotNames, slotTypes);
    }

    /// <summary>The opset version a model imports for a domain (the default domain when empty).</summary>
    public static int OpsetOf(ModelProto model, string domain)
    {
        var versions = model.OpsetImport.Where(o => (o.Domain is "ai.onnx" ? "" : o.Domain) == domain).Select(o => (int)o.Version).ToArray();
        return versions.Length > 0 ? versions.Max() : 1; // an unlisted domain is at its first version
    }

    /// <summary>Integer (or boolean) tensors equal on both traces: shape computations that do not depend on the input.</summary>
    private static bool SameShapeArithmetic(Tensor a, Tensor b) =>
        a.dtype is ScalarType.Int64 or ScalarType.Bool && a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && AllEqual(a, b);

    private static bool AllEqual(Tensor a, Tensor b)
    {
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>Whether a node's 4-D output is channels-last (Keras/tf2onnx graphs keep NHWC between their transposes).</summary>
    private static class Layout
    {
        public static bool ChannelsLast(OnnxNodeContext node, Tensor output)
        {
            if (output.dim() != 4) return false;
            switch (node.Node.OpType)
            {
                case "Conv" or "ConvTranspose" or "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool"
                    or "BatchNormalization" or "InstanceNormalization" or "LRN":
                    return false;
                case "Transpose":
                    // NCHW to NHWC makes a channels-last map; any other permutation (NHWC back to NCHW included) does not.
                    return node.Ints("perm") is [0, 2, 3, 1] && !node.Input(0).ChannelsLast;
                default:
                    for (int i = 0; i < node.InputCount; i++)
                        if (node.HasInput(i) && node.Input(i) is { IsConstant: false, ChannelsLast: true } v && v.Shape.SequenceEqual(output.shape))
                            return true;
                    return false;
            }
        }
    }
}
