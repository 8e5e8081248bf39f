using GradCam.Models.Labels;
using Google.Protobuf;
using System.IO.MemoryMappedFiles;
using Onnx;
using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// Loads an ONNX image classifier (a PyTorch export, Keras via tf2onnx, an ML.NET or Custom Vision export, the ONNX
/// model zoo) as an <see cref="ImageClassifier"/>: the graph is imported into differentiable TorchSharp modules, so
/// every method explains it exactly as it explains the zoo.
/// </summary>
/// <remarks>
/// <para>The model needs one image input, <c>[N, 3, H, W]</c> or channels-last <c>[N, H, W, 3]</c>. A float output of
/// class scores, <c>[N, classes]</c> (trailing size-1 axes are dropped), makes it a classifier; every other float output
/// is imported too, for output and box targets (regressors, multi-head models, detectors). When that output is a Softmax or LogSoftmax,
/// the score explained is the Softmax's input, the logit; the probabilities reported are the model's own.</para>
/// <para>Every node is a layer: by its name or its output tensor's name. The default is the last feature map with more
/// than one spatial position.</para>
/// </remarks>
public static class OnnxModel
{
    /// <summary>Whether a file looks like an ONNX model: a <c>.onnx</c> name, or a protobuf that starts with <c>ir_version</c>.</summary>
    /// <param name="path">Any existing file.</param>
    public static bool IsOnnx(string path)
    {
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return true;
        if (!File.Exists(path)) return false;
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 0x08; // field 1 (ir_version), varint
    }

    /// <summary>Imports an ONNX classifier from a file.</summary>
    /// <param name="path">The <c>.onnx</c> file (external data, if any, next to it).</param>
    /// <param name="options">Input size, preprocessing, labels, device; defaults when null.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="OnnxImportException">Not an ONNX model, an unsupported operator, or an input/output GradCam cannot use (one line naming it).</exception>
    public static ImageClassifier Load(string path, OnnxImportOptions? options = null)
    {
        var model = Parse(path);
        options ??= new OnnxImportOptions();
        string name = options.Name ?? Path.GetFileNameWithoutExtension(path);
        return Build(name, model, options, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>
    /// Imports ONNX models run one after the other as one classifier: each model's output feeds the next model's input
    /// (e.g. ML.NET's featurizer preprocessing, then its network). The first model's input is the image input; layers are
    /// the last model's node names (earlier models' nodes are prefixed <c>stageN/</c>).
    /// </summary>
    /// <param name="paths">The models, in order.</param>
    /// <param name="options">Input size, preprocessing of the first model's input, labels, device.</param>
    public static ImageClassifier LoadChain(IReadOnlyList<string> paths, OnnxImportOptions? options = null)
    {
        if (paths.Count == 1) return Load(paths[0], options);
        var model = OnnxChain.Join(paths.Select(p => (Parse(p), p)).ToList());
        options ??= new OnnxImportOptions();
        string name = options.Name ?? Path.GetFileNameWithoutExtension(paths[^1]);
        var folders = paths.Select(p => Path.GetDirectoryName(Path.GetFullPath(p))).Distinct().ToList();
        return Build(name, model, options, folders.Count == 1 ? folders[0] : null, string.Join(" + ", paths));
    }

    /// <summary>Imports an ONNX classifier from a stream (a model without external data).</summary>
    /// <param name="stream">The model's bytes.</param>
    /// <param name="name">The display name.</param>
    /// <param name="options">Input size, preprocessing, labels, device.</param>
    public static ImageClassifier Load(Stream stream, string name, OnnxImportOptions? options = null)
    {
        var model = Parse(stream, name);
        return Build(name, model, options ?? new OnnxImportOptions(), null, name);
    }

    /// <summary>
    /// Imports any ONNX graph (not only classifiers) as a module returning every graph output: for feature extractors
    /// and preprocessing graphs.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="inputSize">Height and width for images with dynamic spatial dimensions.</param>
    /// <returns>The graph; <see cref="OnnxGraph.Run"/> returns the outputs in the file's order. The caller disposes it.</returns>
    public static OnnxGraph LoadGraph(string path, (int Height, int Width)? inputSize = null)
    {
        var model = Parse(path);
        var graph = model.Graph ?? throw new OnnxImportException($"'{path}' is not an ONNX model (it has no graph)");
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var shapes = new Dictionary<string, long[]>();
        var channelsLast = new HashSet<string>();
        foreach (var input in graph.Input.Where(i => !initializers.Contains(i.Name)))
        {
            var image = ImageInput.Describe(input, inputSize, path);
            shapes[input.Name] = image.Shape;
            if (image.ChannelsLast) channelsLast.Add(input.Name);
        }
        var settings = new OnnxImportSettings(shapes, channelsLast, graph.Output.Select(o => o.Name).ToArray(),
                                              Path.GetDirectoryName(Path.GetFullPath(path)));
        return OnnxImporter.Import(Path.GetFileNameWithoutExtension(path), model, settings);
    }

    /// <summary>Imports a classifier from an ONNX model already in memory (built or joined by GradCam).</summary>
    public static ImageClassifier FromModel(ModelProto model, string name, OnnxImportOptions options) =>
        Build(name, Checked(model, name), options, null, name);

    /// <summary>Imports any graph with fully given input shapes (tests build single-operator models this way).</summary>
    internal static OnnxGraph ImportGraph(ModelProto model, IReadOnlyDictionary<string, long[]> inputShapes) =>
        OnnxImporter.Import("graph", model, new OnnxImportSettings(inputShapes, new HashSet<string>(),
                                                                   model.Graph.Output.Select(o => o.Name).ToArray(), null));

    private static unsafe ModelProto Parse(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' not found", path);
        long length = new FileInfo(path).Length;
        if (length == 0) throw new OnnxImportException($"'{path}' is not an ONNX model (the file is empty)");
        if (length > int.MaxValue) throw new OnnxImportException($"'{path}' is over protobuf's 2 GB limit; store the weights as external data");
        // Parsed from a read-only mapping of the file: protobuf copies each tensor's bytes once, straight from the page cache.
        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            return Parse(new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)length), path);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private static ModelProto Parse(ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            return Checked(ModelProto.Parser.ParseFrom(bytes), source);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw NotProtobuf(source, e);
        }
    }

    private static ModelProto Parse(Stream stream, string source)
    {
        try
        {
            return Checked(ModelProto.Parser.ParseFrom(stream), source);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw NotProtobuf(source, e);
        }
    }

    private static OnnxImportException NotProtobuf(string source, InvalidProtocolBufferException e) =>
        new($"'{source}' is not a valid ONNX model (truncated or not protobuf: {e.Message})", e);

    private static ModelProto Checked(ModelProto model, string source) =>
        model.Graph is null || model.Graph.Node.Count == 0
            ? throw new OnnxImportException($"'{source}' is not an ONNX model (it has no graph)")
            : model;

    private static ImageClassifier Build(string name, ModelProto model, OnnxImportOptions options, string? baseDirectory, string source)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToArray();
        if (inputs.Length != 1)
            throw new OnnxImportException($"'{source}' has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); GradCam explains models with exactly one image input");
        var image = ImageInput.Describe(inputs[0], options.InputSize, source);
        var (scores, endsInSoftmax) = ClassOutput.Choose(model, source);
        // Every float output is imported, the class scores first: regressors, multi-head models and detectors are
        // explained through their other outputs (output targets, box targets).
        var others = graph.Output.Where(o => o.Name != scores && (o.Type?.TensorType?.ElemType ?? 1) is 1 or 10 or 11 or 16)
                                 .Where(o => !(endsInSoftmax && graph.Node.Any(n => n.OpType is "Softmax" or "LogSoftmax" && n.Input.Contains(scores) && n.Output.Contains(o.Name))))
                                 .Select(o => o.Name);
        var settings = new OnnxImportSettings(new Dictionary<string, long[]> { [inputs[0].Name] = image.Shape },
                                              image.ChannelsLast ? new HashSet<string> { inputs[0].Name } : new HashSet<string>(),
                                              [scores, .. others], baseDirectory);
        var imported = OnnxImporter.Import(name, model, settings);
        try
        {
            var spec = options.ResolveInput(image.Width, image.Height);
            int? classes = ClassOutput.Classes(imported, scores, image.Shape[0]);
            IReadOnlyList<string> labels;
            if (classes is int count)
            {
                labels = options.Labels ?? (count == 1000 ? ClassLabels.ImageNet : ClassLabels.Numbered(count));
                if (labels.Count != count)
                    throw new OnnxImportException($"{labels.Count} labels were given for '{source}', whose output has {count} classes");
            }
            else labels = options.Labels ?? []; // a detector's or a regressor's: checked against its output when explained
            var layer = DefaultLayers.Choose(imported, model, image.Height, image.Width, isClassifier: classes is not null)
                ?? throw new OnnxImportException($"'{source}' has no feature map to explain (no node outputs a 4-D tensor with more than one spatial position, or tokens on a grid)");
            imported.FlattenOutput = classes is not null;
            if (options.Prefix is { } prefix)
            {
                if (options.Device is { type: not TorchSharp.DeviceType.CPU })
                    throw new ArgumentException($"the hybrid engine ({prefix.Name} up to the target layer) runs on the CPU, not {options.Device}");
                imported.UsePrefixRuntime(prefix);
            }
            return new ImageClassifier(name, (IExplainableNetwork)imported, labels, layer, spec, options.Device) { ExplainsSoftmaxInput = endsInSoftmax };
        }
        catch
        {
            imported.Dispose();
            throw;
        }
    }
}
