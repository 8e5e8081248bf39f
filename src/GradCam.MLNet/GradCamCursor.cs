using Microsoft.ML;
using Microsoft.ML.Data;

namespace GradCam.MLNet;

/// <summary>
/// Reads the transformed data with look-ahead batching. A "main" cursor over the source serves the pass-through
/// columns row by row; a second "ahead" cursor over the same rows reads the image (and target) columns
/// <see cref="ExplanationOptions.BatchSize"/> rows at a time, which are explained in one forward pass. The two stay in
/// lock step because the source is read in its natural order by both.
/// </summary>
internal sealed class GradCamCursor : DataViewRowCursor
{
    private readonly GradCamDataView _view;
    private readonly GradCamTransformer _transformer;
    private readonly DataViewRowCursor _main;
    private readonly DataViewRowCursor? _ahead;
    private readonly HashSet<int> _activeOutputs;
    private readonly int _inputCount;
    private readonly Delegate?[] _getters;
    private readonly Func<TorchSharp.torch.Tensor>? _readInput;
    private readonly Func<GradCam.Engine.Targets.ExplainTarget?>? _readTarget;
    private RowResult[] _batch = [];
    private int _index = -1;

    public GradCamCursor(GradCamDataView view, GradCamTransformer transformer, DataViewRowCursor main, DataViewRowCursor? ahead,
                         HashSet<int> activeOutputs, InputColumn input, int inputCount)
    {
        _view = view;
        _transformer = transformer;
        _main = main;
        _ahead = ahead;
        _activeOutputs = activeOutputs;
        _inputCount = inputCount;
        _getters = new Delegate?[view.Schema.Count - inputCount];
        if (ahead is not null)
        {
            _readInput = input.CreateReader(ahead, transformer.Model.Input, transformer.Options);
            _readTarget = transformer.Rows.TargetReader(ahead);
        }
        foreach (int index in activeOutputs)
            _getters[index - inputCount] = transformer.Outputs.CreateGetter(view.Schema[index].Name, Current);
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _main.Position;

    public override long Batch => _main.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < _inputCount ? _main.IsColumnActive(_main.Schema[column.Index]) : _activeOutputs.Contains(column.Index);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < _inputCount) return _main.GetGetter<TValue>(_main.Schema[column.Index]);
        var getter = _getters[column.Index - _inputCount]
            ?? throw new InvalidOperationException($"column '{column.Name}' is not active in this cursor");
        return OutputColumns.Cast<TValue>(getter, column);
    }

    public override bool MoveNext()
    {
        if (!_main.MoveNext()) return false;
        if (_ahead is not null && ++_index >= _batch.Length) FillBatch();
        return true;
    }

    private RowResult Current() => _index >= 0 && _index < _batch.Length
        ? _batch[_index]
        : throw new InvalidOperationException("the cursor is not on a row");

    private void FillBatch()
    {
        _transformer.ThrowIfDisposed();
        int size = Math.Max(1, _transformer.Options.BatchSize);
        var rows = new List<RowInput>(size);
        while (rows.Count < size && _ahead!.MoveNext())
            rows.Add(_transformer.Rows.Read(_readInput!, _readTarget!));
        if (rows.Count == 0)
            throw new InvalidOperationException("the source yielded fewer rows to the look-ahead cursor than to the main cursor");
        _batch = _transformer.Rows.Explain(rows);
        _index = 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _main.Dispose();
            _ahead?.Dispose();
        }
        base.Dispose(disposing);
    }
}
