using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx;

/// <summary>
/// An ONNX graph imported as one differentiable TorchSharp module. It calls its node modules in topological order
/// through <c>call()</c>, so forward hooks fire; initializers are frozen buffers; sub-graphs whose inputs are all
/// constant were folded at import. The module takes images <c>[N, C, H, W]</c> (a channels-last model gets them
/// transposed) and returns its selected output.
/// </summary>
/// <remarks>
/// Every node's output can be captured as a layer, by the node's name or the output tensor's name
/// (<see cref="FindLayer"/>): a capture point is inserted into the graph on first request and costs nothing until
/// then. Channels-last feature maps are presented to the capture as <c>[N, C, H, W]</c>.
/// </remarks>
public sealed class OnnxGraph : nn.Module<Tensor, Tensor>, IExplainableNetwork, IPackageableNetwork
{
    private readonly Step[] _steps;
    private readonly int _slotCount;
    private readonly (int Slot, string Buffer)[] _constants;
    private readonly int[] _inputSlots;
    private readonly bool[] _inputsChannelsLast;
    private readonly int[] _outputSlots;
    private readonly Dictionary<string, LayerEntry> _layers;
    private readonly Dictionary<string, string> _notLayers;
    private readonly LayerTap?[] _taps;
    private readonly ModelProto _model;
    private readonly Dictionary<string, Tensor> _initializers;

    private readonly string[] _slotNames;
    private readonly ScalarType[] _slotTypes;
    private readonly int[] _producer;
    private OnnxHybridRunner? _hybrid;
    private long _declaredBatch;
    private int _torchOnly;

    internal OnnxGraph(string name, ModelProto model, IReadOnlyList<Step> steps, int slotCount, IReadOnlyList<(int Slot, Tensor Value)> constants,
                       IReadOnlyList<(int Slot, bool ChannelsLast)> inputs, IReadOnlyList<int> outputs, IReadOnlyList<LayerEntry> layers,
                       IReadOnlyDictionary<string, string> notLayers, Dictionary<string, Tensor> initializers,
                       string[] slotNames, ScalarType[] slotTypes)
        : base(name)
    {
        _slotNames = slotNames;
        _slotTypes = slotTypes;
        _model = model;
        _steps = steps.ToArray();
        _slotCount = slotCount;
        _inputSlots = inputs.Select(i => i.Slot).ToArray();
        _inputsChannelsLast = inputs.Select(i => i.ChannelsLast).ToArray();
        _outputSlots = outputs.ToArray();
        _initializers = initializers;
        _taps = new LayerTap?[slotCount];
        Layers = layers.ToArray();
        _layers = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        foreach (var layer in Layers)
        {
            if (layer.NodeName.Length > 0) _layers.TryAdd(layer.NodeName, layer);
            _layers.TryAdd(layer.OutputName, layer);
        }
        _notLayers = new Dictionary<string, string>(notLayers, StringComparer.Ordinal);

        _constants = new (int, string)[constants.Count];
        for (int i = 0; i < constants.Count; i++)
        {
            string buffer = $"c{i}";
            register_buffer(buffer, constants[i].Value);
            _constants[i] = (constants[i].Slot, buffer);
        }
        for (int i = 0; i < _steps.Length; i++) register_module($"n{i}", _steps[i].Op);
        Frees = LastUses();
        _producer = Enumerable.Repeat(-1, slotCount).ToArray();
        for (int s = 0; s < _steps.Length; s++)
            foreach (int slot in _steps[s].Outputs) _producer[slot] = s;
    }

    /// <summary>The runtime that runs the graph up to the target layer (the hybrid engine), or null when TorchSharp runs it all.</summary>
    public string? PrefixRuntime => _hybrid?.RuntimeName;

    /// <summary>Runs the graph's first part on another runtime from now on (see <see cref="IOnnxPrefixRuntime"/>).</summary>
    /// <exception cref="NotSupportedException">The graph has more than one input.</exception>
    internal void UsePrefixRuntime(IOnnxPrefixRuntime runtime)
    {
        if (_inputSlots.Length != 1) throw new NotSupportedException("the hybrid engine runs graphs with one input");
        _hybrid?.Dispose();
        _hybrid = new OnnxHybridRunner(runtime);
        _declaredBatch = DeclaredBatch();
    }

    /// <summary>
    /// While the returned object lives, the whole graph runs in TorchSharp even with a hybrid engine: for methods that
    /// need gradients below the target layer (Guided Backpropagation). Null without a hybrid engine.
    /// </summary>
    public IDisposable? RunAllInTorchSharp()
    {
        if (_hybrid is null) return null;
        Interlocked.Increment(ref _torchOnly);
        return new TorchRelease(this);
    }

    /// <summary>How the graph runs for the layers captured now, for messages.</summary>
    public string Engine
    {
        get
        {
            if (_hybrid is null) return "TorchSharp";
            if (_torchOnly > 0) return $"TorchSharp (the hybrid engine's {_hybrid.RuntimeName} part is off: the method needs gradients below the target layer)";
            int split = SplitStep();
            return split >= _steps.Length - 1 ? $"{_hybrid.RuntimeName}"
                : $"hybrid: {_hybrid.RuntimeName} up to {_slotNames[_steps[split].Outputs[0]]}, TorchSharp after";
        }
    }

    /// <summary>Every node output that can be captured, in graph order, with its traced shape.</summary>
    public IReadOnlyList<LayerEntry> Layers { get; }

    nn.Module<Tensor, Tensor> IExplainableNetwork.Module => this;

    /// <summary>The nodes whose output is a feature map, in graph order (any node or output name is found too).</summary>
    public IReadOnlyList<string> LayerNames => Layers.Where(l => l.IsFeatureMap).Select(l => l.DisplayName).Distinct().ToList();

    /// <inheritdoc />
    public string LayerNamesTitle => "feature maps (node names, in graph order)";

    /// <inheritdoc />
    public string ModelFileName => "model.onnx";

    /// <inheritdoc />
    public void WriteModelFile(Stream stream) => WriteOnnx(stream);

    /// <summary>How many node modules run per forward pass (folded and unused nodes excluded).</summary>
    public int NodeCount => _steps.Length;

    /// <summary>Per step, the slots whose last reader it is (freed right after it, to keep memory at an inference's).</summary>
    private int[][] Frees { get; }

    /// <summary>
    /// When the graph fixes its batch size (e.g. a reshape to a constant batch of 1 that is not the batch axis), the
    /// size and the node that fixes it; null when it takes any batch.
    /// </summary>
    public (long Size, string Node)? FixedBatch { get; internal set; }

    /// <summary>Runs the graph on its inputs and returns its outputs (the caller owns them).</summary>
    /// <param name="inputs">One tensor per graph input, in order; images as <c>[N, C, H, W]</c> even for channels-last models.</param>
    /// <exception cref="ArgumentException">Not one tensor per input, or a batch the graph cannot take (<see cref="FixedBatch"/>).</exception>
    public Tensor[] Run(params Tensor[] inputs)
    {
        if (inputs.Length != _inputSlots.Length)
            throw new ArgumentException($"the graph takes {_inputSlots.Length} input(s), got {inputs.Length}", nameof(inputs));
        if (FixedBatch is { } fixedBatch && inputs[0].shape[0] != fixedBatch.Size)
            throw new ArgumentException($"{name} only takes batches of {fixedBatch.Size} (its {fixedBatch.Node}); explain with a batch size of {fixedBatch.Size}", nameof(inputs));
        var values = new Tensor?[_slotCount];
        foreach (var (slot, buffer) in _constants) values[slot] = get_buffer(buffer);
        for (int i = 0; i < inputs.Length; i++)
            values[_inputSlots[i]] = _inputsChannelsLast[i] ? inputs[i].permute(0, 2, 3, 1) : inputs[i];
        int first = _hybrid is not null && Volatile.Read(ref _torchOnly) == 0 ? RunPrefix(values) : 0;

        for (int s = first; s < _steps.Length; s++)
        {
            var step = _steps[s];
            var args = new Tensor?[step.Inputs.Length];
            for (int j = 0; j < args.Length; j++) args[j] = step.Inputs[j] < 0 ? null : values[step.Inputs[j]];
            var outputs = step.Op.call(args);
            for (int j = 0; j < step.Outputs.Length; j++)
            {
                var output = outputs[j];
                if (Array.IndexOf(args, output) >= 0) output = output.alias(); // an identity's output is freed separately from its input
                if (_taps[step.Outputs[j]] is { } tap) output = tap.Through(output);
                values[step.Outputs[j]] = output;
            }
            foreach (int slot in Frees[s])
            {
                values[slot]?.Dispose();
                values[slot] = null;
            }
        }
        return _outputSlots.Select(slot => values[slot]!).ToArray();
    }

    /// <summary>The graph's imported outputs, in order.</summary>
    public IReadOnlyList<string> OutputNames => _outputSlots.Select(slot => _slotNames[slot]).ToArray();

    /// <summary>Runs the graph on an image batch and returns every imported output (the first as <see cref="forward"/> gives it).</summary>
    /// <param name="input">Images <c>[N, C, H, W]</c>.</param>
    public Tensor[] RunOutputs(Tensor input)
    {
        var outputs = Run(input);
        if (FlattenOutput && outputs[0].dim() != 2)
        {
            var first = outputs[0];
            outputs[0] = first.flatten(1);
            first.Dispose();
        }
        return outputs;
    }

    /// <summary>Runs the graph on an image batch and returns its (first) output.</summary>
    /// <param name="input">Images <c>[N, C, H, W]</c>.</param>
    public override Tensor forward(Tensor input)
    {
        var output = Run(input)[0];
        if (!FlattenOutput || output.dim() == 2) return output;
        using (output) return output.flatten(1);
    }

    /// <summary>Whether <see cref="forward"/> drops the output's trailing size-1 axes (class scores as <c>[N, classes, 1, 1]</c>).</summary>
    internal bool FlattenOutput { get; set; }

    /// <summary>The module whose forward hooks see a node's output (as <c>[N, C, H, W]</c> for channels-last feature maps).</summary>
    /// <param name="name">A node name or an output tensor name.</param>
    /// <returns>The capture point, or null when no node of the graph has that name.</returns>
    /// <exception cref="ArgumentException">The name belongs to a node that was folded to a constant or does not contribute to the output.</exception>
    public nn.Module<Tensor, Tensor>? FindLayer(string name)
    {
        if (_layers.TryGetValue(name, out var layer))
            return _taps[layer.Slot] ??= new LayerTap(layer.OutputName, layer.ChannelsLast);
        if (_notLayers.TryGetValue(name, out var why)) throw new ArgumentException($"layer '{name}' {why}", nameof(name));
        return null;
    }

    /// <summary>The last step the other runtime runs: the producer of the earliest captured layer, or the last step.</summary>
    private int SplitStep()
    {
        int split = _steps.Length - 1;
        for (int slot = 0; slot < _taps.Length; slot++)
            if (_taps[slot] is not null && _producer[slot] >= 0) split = Math.Min(split, _producer[slot]);
        return split;
    }

    /// <summary>Runs the steps up to the split on the other runtime, fills the slots the rest reads, and returns the first TorchSharp step.</summary>
    private int RunPrefix(Tensor?[] values)
    {
        var plan = _hybrid!.PlanFor(SplitStep(), PrefixModel);
        var input = values[_inputSlots[0]]!;
        var handed = new Tensor[plan.Slots.Length];
        using (torch.NewDisposeScope())
        {
            var cpu = input.device_type == DeviceType.CPU ? input.contiguous() : throw new NotSupportedException($"the hybrid engine runs on the CPU; {name} is on {input.device}");
            // A file with a fixed batch size takes its batch one item at a time.
            var parts = _declaredBatch > 0 && cpu.shape[0] != _declaredBatch
                ? Enumerable.Range(0, (int)cpu.shape[0]).Select(i => plan.Session.Run(_slotNames[_inputSlots[0]], cpu.narrow(0, i, 1).contiguous(), plan.Names)).ToList()
                : [plan.Session.Run(_slotNames[_inputSlots[0]], cpu, plan.Names)];
            for (int j = 0; j < handed.Length; j++)
                handed[j] = (parts.Count == 1 ? parts[0][j] : torch.cat(parts.Select(p => p[j]).ToArray(), 0)).to(input.device).MoveToOuterDisposeScope();
        }
        // Captures see the handed-over tensors in the caller's scope, as they see any node output.
        for (int j = 0; j < handed.Length; j++)
            values[plan.Slots[j]] = _taps[plan.Slots[j]] is { } tap ? tap.Through(handed[j]) : handed[j];
        return plan.FirstTorchStep;
    }

    /// <summary>The batch size the file fixes for the graph's input, 0 when it leaves it dynamic.</summary>
    private long DeclaredBatch()
    {
        var dims = _model.Graph.Input.First(i => i.Name == _slotNames[_inputSlots[0]]).Type?.TensorType?.Shape?.Dim;
        return dims is { Count: > 0 } && dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? dims[0].DimValue : 0;
    }

    /// <summary>The graph's nodes up to step <paramref name="last"/>'s node, whose outputs are the tensors later steps read.</summary>
    private (byte[] Model, string[] Names, int[] Slots) PrefixModel(int last)
    {
        var handOver = new SortedSet<int>();
        for (int s = last + 1; s < _steps.Length; s++)
            foreach (int slot in _steps[s].Inputs)
                if (slot >= 0 && _producer[slot] >= 0 && _producer[slot] <= last) handOver.Add(slot);
        foreach (int slot in _outputSlots)
            if (_producer[slot] <= last) handOver.Add(slot);
        for (int slot = 0; slot < _taps.Length; slot++)
            if (_taps[slot] is not null && _producer[slot] >= 0 && _producer[slot] <= last) handOver.Add(slot);

        var copy = _model.Clone();
        var graph = copy.Graph;
        var nodes = graph.Node.Take(_steps[last].NodeIndex + 1).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        var read = nodes.SelectMany(n => n.Input).ToHashSet();
        var initializers = graph.Initializer.Where(t => read.Contains(t.Name)).ToList();
        foreach (var t in initializers) OnnxTensors.Fill(t, _initializers[t.Name]);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        var inputs = graph.Input.Where(i => read.Contains(i.Name) || _inputSlots.Any(s => _slotNames[s] == i.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
        graph.Output.Clear();
        foreach (int slot in handOver)
            graph.Output.Add(new ValueInfoProto
            {
                Name = _slotNames[slot],
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = OnnxTensors.DataTypeOf(_slotTypes[slot], _slotNames[slot]) } },
            });
        return (Google.Protobuf.MessageExtensions.ToByteArray(copy), handOver.Select(s => _slotNames[s]).ToArray(), handOver.ToArray());
    }

    /// <summary>Writes the graph as an ONNX model (the original graph, weights as float32 raw data).</summary>
    /// <param name="stream">Where to write.</param>
    /// <exception cref="NotSupportedException">The model is over protobuf's 2 GB limit.</exception>
    public void WriteOnnx(Stream stream)
    {
        var copy = _model.Clone();
        long bytes = 0;
        foreach (var initializer in copy.Graph.Initializer)
        {
            OnnxTensors.Fill(initializer, _initializers[initializer.Name]);
            bytes += initializer.RawData.Length;
        }
        if (bytes >= int.MaxValue) throw new NotSupportedException($"{bytes} bytes of weights exceed ONNX's 2 GB single-file limit");
        using var output = new Google.Protobuf.CodedOutputStream(stream, leaveOpen: true);
        copy.WriteTo(output);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hybrid?.Dispose();
            foreach (var t in _initializers.Values) t.Dispose();
        }
        base.Dispose(disposing);
    }

    private int[][] LastUses()
    {
        var keep = new HashSet<int>(_outputSlots);
        foreach (var (slot, _) in _constants) keep.Add(slot);
        for (int i = 0; i < _inputSlots.Length; i++)
            if (!_inputsChannelsLast[i]) keep.Add(_inputSlots[i]); // the caller's tensor
        var last = new Dictionary<int, int>();
        for (int s = 0; s < _steps.Length; s++)
        {
            foreach (int slot in _steps[s].Outputs) last[slot] = s; // unread outputs are freed at once
            foreach (int slot in _steps[s].Inputs) if (slot >= 0) last[slot] = s;
        }
        for (int i = 0; i < _inputSlots.Length; i++) if (!last.ContainsKey(_inputSlots[i])) keep.Add(_inputSlots[i]);
        var frees = Enumerable.Range(0, _steps.Length).Select(_ => new List<int>()).ToArray();
        foreach (var (slot, step) in last)
            if (!keep.Contains(slot)) frees[step].Add(slot);
        return frees.Select(f => f.ToArray()).ToArray();
    }

    /// <summary>One node module with the slots it reads and writes (-1: an absent optional input or unused output), and its node's index in the file.</summary>
    internal sealed record Step(OnnxOp Op, int[] Inputs, int[] Outputs, int NodeIndex);

    private sealed class TorchRelease(OnnxGraph graph) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) Interlocked.Decrement(ref graph._torchOnly);
        }
    }

    /// <summary>A capturable node output.</summary>
    /// <param name="NodeName">The node's name (may be empty in the file).</param>
    /// <param name="OpType">The node's operator.</param>
    /// <param name="OutputName">The output tensor's name.</param>
    /// <param name="Shape">Its shape on the import's trace input (batch dimension included).</param>
    /// <param name="ChannelsLast">Whether it is a channels-last feature map.</param>
    /// <param name="Slot">Its slot in the graph.</param>
    public sealed record LayerEntry(string NodeName, string OpType, string OutputName, long[] Shape, bool ChannelsLast, int Slot)
    {
        /// <summary>The name shown to users: the node's name, or its output's when the node has none.</summary>
        public string DisplayName => NodeName.Length > 0 ? NodeName : OutputName;

        /// <summary>Whether it is a feature map with more than one spatial position (a Grad-CAM candidate).</summary>
        public bool IsFeatureMap => Shape.Length == 4 && (ChannelsLast ? Shape[1] * Shape[2] : Shape[2] * Shape[3]) > 1;
    }

    /// <summary>An identity module marking a node output for forward hooks.</summary>
    private sealed class LayerTap(string name, bool channelsLast) : nn.Module<Tensor, Tensor>(name)
    {
        public Tensor Through(Tensor output) =>
            channelsLast ? call(output.permute(0, 3, 1, 2)).permute(0, 2, 3, 1) : call(output);

        public override Tensor forward(Tensor input) => input;
    }
}
