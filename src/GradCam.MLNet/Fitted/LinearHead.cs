using System.Collections.Immutable;
using Google.Protobuf;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Onnx;

namespace GradCam.MLNet;

/// <summary>
/// A trained linear head, <c>scores = W x + b</c>, as a Gemm node: the weights and biases of a maximum entropy or linear
/// multiclass model, or of a binary linear model as two classes <c>(-s/2, s/2)</c> whose softmax is the sigmoid of its
/// score s. An affine normaliser before it, <c>x' = (x - offset) * scale</c>, is folded into the weights.
/// </summary>
internal sealed class LinearHead
{
    private readonly float[,] _weights;  // [classes, features]
    private readonly float[] _biases;

    private LinearHead(float[,] weights, float[] biases, bool binary, FittedScore score)
    {
        _weights = weights;
        _biases = biases;
        Binary = binary;
        Score = score;
    }

    public int Classes => _biases.Length;

    public bool Binary { get; }

    public FittedScore Score { get; }

    public static LinearHead From(object predictor, NormalizingTransformer? normalizer, string step, string supported)
    {
        var model = predictor.GetType().GetProperty("Model")!.GetValue(predictor);
        LinearHead head = model switch
        {
            MaximumEntropyModelParameters m => Multiclass(m.GetWeights, m.GetBiases(), FittedScore.Probabilities),
            LinearMulticlassModelParameters m => Multiclass(m.GetWeights, m.GetBiases(), FittedScore.Logits),
            LinearBinaryModelParameters b => Binary2(b),
            _ when SubModel(model) is { } b => Binary2(b),
            _ => throw new NotSupportedException($"{step} is a {model?.GetType().Name.Split('`')[0]} model, which GradCam cannot differentiate; {supported}"),
        };
        if (normalizer is not null) head.Fold(normalizer, supported);
        return head;
    }

    private delegate void WeightsGetter(ref VBuffer<float>[] weights, out int classes);

    private static LinearHead Multiclass(WeightsGetter getWeights, IEnumerable<float> biases, FittedScore score)
    {
        VBuffer<float>[] rows = [];
        getWeights(ref rows, out int classes);
        int features = rows[0].Length;
        var w = new float[classes, features];
        for (int c = 0; c < classes; c++)
        {
            var dense = rows[c].DenseValues().ToArray();
            for (int f = 0; f < features; f++) w[c, f] = dense[f];
        }
        return new LinearHead(w, biases.ToArray(), binary: false, score);
    }

    private static LinearHead Binary2(LinearBinaryModelParameters b)
    {
        var weights = b.Weights;
        var w = new float[2, weights.Count];
        for (int f = 0; f < weights.Count; f++)
        {
            w[0, f] = -weights[f] / 2;
            w[1, f] = weights[f] / 2;
        }
        return new LinearHead(w, [-b.Bias / 2, b.Bias / 2], binary: true, FittedScore.BinaryScore);
    }

    // A calibrated binary model (logistic regression's Platt calibrator) scores with its linear sub-model; the calibrator
    // maps the score to the Probability column and changes nothing explained.
    private static LinearBinaryModelParameters? SubModel(object? model) =>
        model?.GetType().GetProperties().Where(p => p.Name == "SubModel").Select(p => p.GetValue(model)).OfType<LinearBinaryModelParameters>().FirstOrDefault();

    private void Fold(NormalizingTransformer normalizer, string supported)
    {
        if (normalizer.GetNormalizerModelParameters(0) is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine)
            throw new NotSupportedException($"the normaliser before the trainer is not affine (NormalizeMinMax or NormalizeMeanVariance); {supported}");
        int features = _weights.GetLength(1);
        var scale = Expand(affine.Scale, features, 1f);
        var offset = Expand(affine.Offset, features, 0f);
        for (int c = 0; c < Classes; c++)
        {
            double shift = 0;
            for (int f = 0; f < features; f++)
            {
                shift += (double)_weights[c, f] * scale[f] * offset[f];
                _weights[c, f] *= scale[f];
            }
            _biases[c] -= (float)shift;
        }
    }

    private static float[] Expand(ImmutableArray<float> values, int length, float fill) =>
        values.IsDefaultOrEmpty ? Enumerable.Repeat(fill, length).ToArray()
        : values.Length == 1 ? Enumerable.Repeat(values[0], length).ToArray()
        : values.ToArray();

    /// <summary>Appends Flatten and Gemm to the network's output and makes the head's scores the graph's only output.</summary>
    public void AppendTo(ModelProto model)
    {
        var graph = model.Graph;
        string features = graph.Output.Single().Name;
        int classes = Classes, width = _weights.GetLength(1);
        var w = new float[classes * width];
        for (int c = 0; c < classes; c++)
            for (int f = 0; f < width; f++) w[c * width + f] = _weights[c, f];
        graph.Initializer.Add(Tensor("head.weight", [classes, width], w));
        graph.Initializer.Add(Tensor("head.bias", [classes], _biases));
        var flatten = new NodeProto { Name = "head/Flatten", OpType = "Flatten", Input = { features }, Output = { "head/features" } };
        var gemm = new NodeProto { Name = "head/Gemm", OpType = "Gemm", Input = { "head/features", "head.weight", "head.bias" }, Output = { "head/scores" } };
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(flatten);
        graph.Node.Add(gemm);
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto { Name = "head/scores", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
    }

    private static TensorProto Tensor(string name, long[] shape, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(shape);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        t.RawData = ByteString.CopyFrom(bytes);
        return t;
    }
}
