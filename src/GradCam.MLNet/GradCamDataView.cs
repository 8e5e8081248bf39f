using Microsoft.ML;

namespace GradCam.MLNet;

/// <summary>The lazily transformed data: input columns pass through, output columns are computed when a cursor reads them.</summary>
internal sealed class GradCamDataView : IDataView
{
    private readonly GradCamTransformer _transformer;
    private readonly IDataView _source;
    private readonly InputColumn _input;

    public GradCamDataView(GradCamTransformer transformer, IDataView source, InputColumn input)
    {
        _transformer = transformer;
        _source = source;
        _input = input;
        Schema = transformer.Outputs.Append(source.Schema);
    }

    public DataViewSchema Schema { get; }

    /// <summary>Rows are read in order by two lock-step cursors (see <see cref="GradCamCursor"/>), so no shuffling.</summary>
    public bool CanShuffle => false;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        _transformer.ThrowIfDisposed();
        int inputCount = _source.Schema.Count;
        var needed = columnsNeeded.ToList();
        var passThrough = needed.Where(c => c.Index < inputCount).Select(c => _source.Schema[c.Index]);
        var outputs = needed.Where(c => c.Index >= inputCount).Select(c => c.Index).ToHashSet();

        var main = _source.GetRowCursor(passThrough);
        if (outputs.Count == 0) return new GradCamCursor(this, _transformer, main, null, outputs, _input, inputCount);

        var aheadColumns = new List<DataViewSchema.Column> { _source.Schema[_input.Name] };
        if (_transformer.Options.TargetColumnName is not null)
            aheadColumns.Add(_source.Schema[_transformer.Options.TargetColumnName]);
        var ahead = _source.GetRowCursor(aheadColumns);
        return new GradCamCursor(this, _transformer, main, ahead, outputs, _input, inputCount);
    }

    /// <summary>One cursor: batching already uses the explainer fully, and rows must stay in order.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
