using Microsoft.ML;
using Microsoft.ML.Data;

namespace GradCam.MLNet;

/// <summary>Maps single rows (the <c>PredictionEngine</c> path): each new input row is explained once, on first access.</summary>
internal sealed class GradCamRowMapper : IRowToRowMapper
{
    private readonly GradCamTransformer _transformer;
    private readonly InputColumn _input;

    public GradCamRowMapper(GradCamTransformer transformer, DataViewSchema inputSchema, InputColumn input)
    {
        _transformer = transformer;
        _input = input;
        InputSchema = inputSchema;
        OutputSchema = transformer.Outputs.Append(inputSchema);
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        int inputCount = InputSchema.Count;
        var needed = dependingColumns.Where(c => c.Index < inputCount).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= inputCount))
        {
            needed.Add(InputSchema[_input.Name]);
            if (_transformer.Options.TargetColumnName is not null)
                needed.Add(InputSchema[_transformer.Options.TargetColumnName]);
        }
        return needed.DistinctBy(c => c.Index);
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow(this, _transformer, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class MappedRow : DataViewRow
    {
        private readonly GradCamRowMapper _mapper;
        private readonly GradCamTransformer _transformer;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly Delegate?[] _getters;
        private readonly Func<TorchSharp.torch.Tensor>? _readInput;
        private readonly Func<GradCam.Engine.Targets.ExplainTarget?>? _readTarget;
        private long _cachedPosition = -1;
        private RowResult _cached;

        public MappedRow(GradCamRowMapper mapper, GradCamTransformer transformer, DataViewRow input, HashSet<int> active)
        {
            _mapper = mapper;
            _transformer = transformer;
            _input = input;
            _active = active;
            int inputCount = mapper.InputSchema.Count;
            _getters = new Delegate?[mapper.OutputSchema.Count - inputCount];
            if (active.Any(i => i >= inputCount))
            {
                _readInput = mapper._input.CreateReader(input, transformer.Model.Input, transformer.Options);
                _readTarget = transformer.Rows.TargetReader(input);
            }
            foreach (int i in active.Where(i => i >= inputCount))
                _getters[i - inputCount] = transformer.Outputs.CreateGetter(mapper.OutputSchema[i].Name, Current);
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _mapper.InputSchema.Count;
            if (column.Index < inputCount) return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
            var getter = _getters[column.Index - inputCount]
                ?? throw new InvalidOperationException($"column '{column.Name}' is not active in this row");
            return OutputColumns.Cast<TValue>(getter, column);
        }

        private RowResult Current()
        {
            // One explanation per input row, shared by every output getter.
            if (_cachedPosition != _input.Position || _cachedPosition < 0)
            {
                _transformer.ThrowIfDisposed();
                _cached = _transformer.Rows.Explain([_transformer.Rows.Read(_readInput!, _readTarget!)])[0];
                _cachedPosition = _input.Position;
            }
            return _cached;
        }
    }
}
