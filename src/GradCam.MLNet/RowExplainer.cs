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
    /// read (corrupt image, wrong size, out-of-range target) becomes an error for that row only.
    /// </summary>
    public RowInput Read(Func<Tensor> input, Func<int?> target)
    {
        try
        {
            int? t = target();
            int classes = Model.Labels.Count;
            if (t is int c && (c < 0 || c >= classes))
                throw new InvalidDataException($"target class {c} is out of range: the model has {classes} classes");
            return new RowInput(input(), t is int index ? ExplainTarget.Class(index) : null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new RowInput(null, null, e.Message);
        }
    }

    /// <summary>Explains the readable rows in one batch and disposes their input tensors.</summary>
    public RowResult[] Explain(IReadOnlyList<RowInput> rows)
    {
        var results = new RowResult[rows.Count];
        var valid = Enumerable.Range(0, rows.Count).Where(i => rows[i].Input is not null).ToArray();
        try
        {
            foreach (int i in Enumerable.Range(0, rows.Count).Except(valid)) results[i] = RowResult.Failed(rows[i].Error!);
            if (valid.Length == 0) return results;
            using var batch = torch.stack(valid.Select(i => rows[i].Input!).ToArray());
            var explanations = _explainer.Explain(batch, valid.Select(i => rows[i].Target).ToArray(), topK: 1);
            // A model output that is not finite (NaN weights) is that row's error: NaN scores and heatmap, never numbers that look real.
            for (int j = 0; j < valid.Length; j++)
                results[valid[j]] = explanations[j].IsFinite ? new RowResult(explanations[j], null) : RowResult.Failed(NonFinite);
            return results;
        }
        finally
        {
            foreach (var row in rows) row.Input?.Dispose();
        }
    }

    /// <summary>The target reader for a row: the fixed class, the row's column, or none (top-1).</summary>
    public Func<int?> TargetReader(DataViewRow row)
    {
        switch (_options.TargetClassPolicy)
        {
            case TargetClassPolicy.Fixed:
                int fixedTarget = _options.TargetClass;
                return () => fixedTarget;
            case TargetClassPolicy.FromColumn:
                var read = InputColumn.CreateTargetReader(row, _options.TargetClassInputColumnName);
                return () => read();
            default:
                return () => null;
        }
    }
}
