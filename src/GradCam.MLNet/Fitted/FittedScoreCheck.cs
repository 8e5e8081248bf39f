using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.MLNet;

/// <summary>
/// Fitting's guard: on the first rows, the reconstructed network's scores must equal the fitted model's own
/// <c>Score</c> column, as ML.NET computes it (softmax probabilities, raw class scores, or a binary score).
/// </summary>
internal static class FittedScoreCheck
{
    private const int Rows = 4;
    private const double Tolerance = 1e-3;

    public static void Verify(GradCamTransformer transformer, FittedNetwork network, IDataView input)
    {
        var scored = transformer.Trained!.Transform(input);
        var pixelsColumn = scored.Schema[network.InputColumn];
        var scoreColumn = scored.Schema[network.ScoreColumn];
        var pixels = new List<float[]>();
        var expected = new List<float[]>();
        using (var cursor = scored.GetRowCursor([pixelsColumn, scoreColumn]))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(pixelsColumn);
            Func<float[]> getScore = scoreColumn.Type is VectorDataViewType ? VectorReader(cursor, scoreColumn) : ScalarReader(cursor, scoreColumn);
            VBuffer<float> buffer = default;
            while (pixels.Count < Rows && cursor.MoveNext())
            {
                try
                {
                    getPixels(ref buffer);
                    var score = getScore();
                    pixels.Add(buffer.DenseValues().ToArray());
                    expected.Add(score);
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or IOException)
                {
                    // A row ML.NET cannot read (e.g. a missing image) proves nothing either way.
                }
            }
        }
        if (pixels.Count == 0) return;

        var spec = transformer.Model.Input;
        using var scope = torch.NewDisposeScope();
        var batch = torch.stack(pixels.Select(p => torch.tensor(p, [3, spec.Height, spec.Width])).ToArray());
        var logits = transformer.Explainer.Forward(batch);
        var ours = network.Score switch
        {
            FittedScore.Probabilities => nn.functional.softmax(logits, 1),
            FittedScore.BinaryScore => (logits[.., 1] - logits[.., 0]).unsqueeze(1),
            FittedScore.OnnxOutput when transformer.Model.ExplainsSoftmaxInput => nn.functional.softmax(logits, 1),
            _ => logits,
        };
        var actual = ours.data<float>().ToArray();
        int width = expected[0].Length;
        double worst = 0;
        for (int r = 0; r < expected.Count; r++)
            for (int c = 0; c < width; c++)
            {
                double scale = Math.Max(1, Math.Abs(expected[r][c]));
                worst = Math.Max(worst, Math.Abs(expected[r][c] - actual[r * width + c]) / scale);
            }
        if (worst > Tolerance)
            throw new InvalidOperationException(
                $"GradCam's reconstruction of the fitted model ({network.Description}) does not reproduce its '{network.ScoreColumn}' column " +
                $"(largest difference {worst:g3} over the first {expected.Count} rows); its heatmaps would not explain this model");
    }

    private static Func<float[]> VectorReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        return () =>
        {
            getter(ref value);
            return value.DenseValues().ToArray();
        };
    }

    private static Func<float[]> ScalarReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<float>(column);
        float value = 0;
        return () =>
        {
            getter(ref value);
            return [value];
        };
    }
}
