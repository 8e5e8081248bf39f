using GradCam.Engine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GradCam.MLNet;

/// <summary>The transformer's output columns: their schema, and getters that read a row's <see cref="RowResult"/>.</summary>
internal sealed class OutputColumns
{
    private readonly GradCamOptions _options;
    private readonly IReadOnlyList<string> _labels;

    public OutputColumns(GradCamOptions options, IReadOnlyList<string> labels, int heatmapHeight, int heatmapWidth)
    {
        _options = options;
        _labels = labels;
        HeatmapHeight = heatmapHeight;
        HeatmapWidth = heatmapWidth;
    }

    public int HeatmapHeight { get; }

    public int HeatmapWidth { get; }

    /// <summary>The input schema followed by the output columns (an output hides an input column of the same name).</summary>
    public DataViewSchema Append(DataViewSchema input)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        if (_options.PredictedLabelColumnName is { } predicted) builder.AddColumn(predicted, TextDataViewType.Instance);
        var slotNames = new DataViewSchema.Annotations.Builder();
        slotNames.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, _labels.Count), (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> names) =>
        {
            var editor = VBufferEditor.Create(ref names, _labels.Count);
            for (int i = 0; i < _labels.Count; i++) editor.Values[i] = _labels[i].AsMemory();
            names = editor.Commit();
        }));
        if (_options.ScoreColumnName is { } score)
            builder.AddColumn(score, new VectorDataViewType(NumberDataViewType.Single, _labels.Count), slotNames.ToAnnotations());
        builder.AddColumn(_options.HeatmapColumnName, new VectorDataViewType(NumberDataViewType.Single, HeatmapHeight, HeatmapWidth));
        builder.AddColumn(_options.TargetClassColumnName, NumberDataViewType.Int32);
        builder.AddColumn(_options.ErrorColumnName, TextDataViewType.Instance);
        return builder.ToSchema();
    }

    /// <summary>
    /// The output columns as a <see cref="SchemaShape"/> appended to <paramref name="input"/>. ML.NET keeps
    /// <c>SchemaShape.Column</c>'s constructor internal; a <c>CustomMapping</c> estimator whose output schema
    /// definition mirrors these columns is the public way to have ML.NET build them.
    /// </summary>
    public SchemaShape AppendShape(SchemaShape input)
    {
        var definition = SchemaDefinition.Create(typeof(OutputShape));
        void Set(string member, string? name, DataViewType type)
        {
            var column = definition[member];
            if (name is null)
            {
                definition.Remove(column); // an output the options leave out
                return;
            }
            column.ColumnName = name;
            column.ColumnType = type;
        }
        Set(nameof(OutputShape.PredictedLabel), _options.PredictedLabelColumnName, TextDataViewType.Instance);
        Set(nameof(OutputShape.Score), _options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, _labels.Count));
        Set(nameof(OutputShape.Heatmap), _options.HeatmapColumnName, new VectorDataViewType(NumberDataViewType.Single, HeatmapHeight, HeatmapWidth));
        Set(nameof(OutputShape.TargetClass), _options.TargetClassColumnName, NumberDataViewType.Int32);
        Set(nameof(OutputShape.Error), _options.ErrorColumnName, TextDataViewType.Instance);
        var shaper = s_shapeContext.Transforms.CustomMapping<NoInput, OutputShape>((_, _) => { }, contractName: null, outputSchemaDefinition: definition);
        return shaper.GetOutputSchema(input);
    }

    private static readonly MLContext s_shapeContext = new();

    private sealed class NoInput;

    private sealed class OutputShape
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
        public float[] Heatmap { get; set; } = [];
        public int TargetClass { get; set; }
        public string Error { get; set; } = "";
    }

    /// <summary>A getter of output column <paramref name="name"/> that reads the current row's result.</summary>
    public Delegate CreateGetter(string name, Func<RowResult> current)
    {
        if (_options.PredictedLabelColumnName is not null && name == _options.PredictedLabelColumnName)
            return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) =>
                v = current().Explanation is { } e ? _labels[e.TopK[0].Index].AsMemory() : ReadOnlyMemory<char>.Empty);
        if (_options.ScoreColumnName is not null && name == _options.ScoreColumnName)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Fill(ref v, _labels.Count, current().Explanation?.Probabilities));
        if (name == _options.HeatmapColumnName)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Fill(ref v, HeatmapHeight * HeatmapWidth, Heatmap(current().Explanation)));
        if (name == _options.TargetClassColumnName)
            return (ValueGetter<int>)((ref int v) => v = current().Explanation?.TargetClass ?? -1);
        if (name == _options.ErrorColumnName)
            return (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = (current().Error ?? "").AsMemory());
        throw new ArgumentOutOfRangeException(nameof(name), $"'{name}' is not a Grad-CAM output column");
    }

    private float[]? Heatmap(Explanation? e) => e is null ? null
        : _options.HeatmapResolution == HeatmapResolution.Input ? e.Heatmap.Data : e.Cam.MinMaxNormalized().Data;

    private static void Fill(ref VBuffer<float> dst, int length, float[]? values)
    {
        var editor = VBufferEditor.Create(ref dst, length);
        if (values is null) editor.Values.Fill(float.NaN);
        else values.AsSpan(0, length).CopyTo(editor.Values);
        dst = editor.Commit();
    }

    /// <summary>Typed access to a getter created by <see cref="CreateGetter"/>, with ML.NET's error for a wrong type.</summary>
    public static ValueGetter<TValue> Cast<TValue>(Delegate getter, DataViewSchema.Column column) =>
        getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            $"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{column.Type.RawType}' for column '{column.Name}'");
}
