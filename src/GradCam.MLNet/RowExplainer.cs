using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using Microsoft.ML;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.MLNet;

/// <summary>Explains rows in batches: one forward and one gradient per row, shared by every output column.</summary>
internal sealed class RowExplainer
{
    private readonly GradCamExplainer _explainer;
    private readonly GradCamOptions _options;

    public RowExplainer(GradCamExplainer explainer, GradCamOptions options)
    {
        _explainer = explainer;
        _options = options;
    }

    public ImageClassifier Model => _explainer.Model;

    /// <summary>The error of a row whose model output is not finite.</summary>
    public const string NonFinite = "the model's output is not finite (NaN or infinity): its weights or its input are broken";

    /// <summary>
    /// Reads one row's input and target now (the cursor moves on before the batch is explained). A row that cannot be
    /// read (corrupt image, wrong size, out-of-range class) becomes an error for that row only.
    /// </summary>
    public RowInput Read(Func<Tensor> input, Func<ExplainTarget?> target)
    {
        try
        {
            var t = target();
            int classes = Model.Labels.Count;
            if (t is ClassTarget { Index: int c } && classes > 0 && c >= classes)
                throw new InvalidDataException($"target class {c} is out of range: the model has {classes} classes");
            return new RowInput(input(), t, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new RowInput(null, null, e.Message);
        }
    }

    /// <summary>
    /// Explains the readable rows in one batch and disposes their input tensors. When a target does not exist for
    /// some row (an output or a box it does not have), the rows are explained one by one so that only those fail.
    /// </summary>
    public RowResult[] Explain(IReadOnlyList<RowInput> rows)
    {
        var results = new RowResult[rows.Count];
        var valid = Enumerable.Range(0, rows.Count).Where(i => rows[i].Input is not null).ToArray();
        try
        {
            foreach (int i in Enumerable.Range(0, rows.Count).Except(valid)) results[i] = RowResult.Failed(rows[i].Error!);
            if (valid.Length == 0) return results;
            IReadOnlyList<ExplainOutcome> outcomes;
            using (var batch = torch.stack(valid.Select(i => rows[i].Input!).ToArray()))
                outcomes = _explainer.TryExplain(batch, valid.Select(i => rows[i].Target).ToArray(), topK: 1);
            // A row lacking its target, or whose model output is not finite (NaN weights), gets its error: NaN scores
            // and heatmap, never numbers that look real.
            for (int j = 0; j < valid.Length; j++)
                results[valid[j]] = outcomes[j] switch
                {
                    { Error: { } error } => RowResult.Failed(error.Message),
                    { Explanation: { IsFinite: true } e } => new RowResult(e, null),
                    _ => RowResult.Failed(NonFinite),
                };
            return results;
        }
        finally
        {
            foreach (var row in rows) row.Input?.Dispose();
        }
    }

    /// <summary>The target reader for a row: the row's class column, or the options' target (null: the predicted class).</summary>
    public Func<ExplainTarget?> TargetReader(DataViewRow row)
    {
        if (_options.TargetColumnName is { } column)
        {
            var read = InputColumn.CreateTargetReader(row, column);
            // A row's own class beyond the model's is that row's error (the batch's other rows are still explained).
            return () => read() is var c && c >= 0 && c < Model.Labels.Count ? ExplainTarget.Class(c)
                : throw new InvalidDataException($"target class {c} is out of range: the model has {Model.Labels.Count} classes (0..{Model.Labels.Count - 1})");
        }
        var target = _options.Target;
        return () => target;
    }
}
