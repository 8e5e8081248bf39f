using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Google.Protobuf;
using GradCam.Onnx;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using GradCam.Models;
using Onnx;

namespace GradCam.MLNet;

/// <summary>What the fitted model's <c>Score</c> column holds, so that the reconstruction can be checked against it.</summary>
internal enum FittedScore
{
    /// <summary>Softmax of the class scores (maximum entropy models).</summary>
    Probabilities,

    /// <summary>The raw class scores (non-calibrated linear multiclass models).</summary>
    Logits,

    /// <summary>The raw score of the positive class (binary linear models): the logit difference of the two classes.</summary>
    BinaryScore,

    /// <summary>An ONNX classifier's own output (probabilities when it ends in a Softmax, else its raw scores).</summary>
    OnnxOutput,
}

/// <summary>
/// The differentiable part of a fitted ML.NET image-classification chain, read from the chain itself: its ONNX network
/// (ML.NET's DnnFeaturizeImage preprocessing and trunk, or an ApplyOnnxModel classifier) joined into one ONNX graph, and
/// the trained linear head (with a normaliser before it folded in) appended as a Gemm node. Everything before the network
/// (image loading, resizing, pixel extraction) stays with ML.NET.
/// </summary>
/// <param name="Model">The network and head as one ONNX model.</param>
/// <param name="InputColumn">The column the network reads (pixel vectors, as ML.NET's OnnxTransformer reads them).</param>
/// <param name="ScoreColumn">The fitted model's score column.</param>
/// <param name="Score">What that column holds.</param>
/// <param name="Labels">The class labels (the score column's slot names when the model has them).</param>
/// <param name="Description">The chain as steps, for messages.</param>
/// <param name="Steps">The chain's steps, flattened.</param>
/// <param name="NetworkStart">The index of the network's first step.</param>
internal sealed record FittedNetwork(ModelProto Model, string InputColumn, string ScoreColumn, FittedScore Score,
                                     IReadOnlyList<string> Labels, string Description, IReadOnlyList<ITransformer> Steps, int NetworkStart)
{
    /// <summary>The image steps before the network as an input specification (for explaining images directly).</summary>
    public InputSpec ImageInput => FittedImageInput.From(Steps, NetworkStart);

    private const string Supported =
        "GradCam differentiates DnnFeaturizeImage or ApplyOnnxModel networks, optionally followed by NormalizeMinMax/NormalizeMeanVariance " +
        "and a linear trainer (LbfgsMaximumEntropy, SdcaMaximumEntropy, SdcaNonCalibrated, LbfgsLogisticRegression, SdcaLogisticRegression), " +
        "with MapValueToKey/MapKeyToValue around";

    /// <summary>Reads a fitted chain.</summary>
    /// <param name="trained">The fitted model.</param>
    /// <param name="input">The schema of the rows it takes.</param>
    /// <exception cref="NotSupportedException">A step GradCam cannot differentiate; the message names it and what is supported.</exception>
    /// <exception cref="FileNotFoundException">A network's ONNX file is missing.</exception>
    public static FittedNetwork Read(ITransformer trained, DataViewSchema input)
    {
        var steps = Flatten(trained).ToList();
        string Name(int i) => $"step {i + 1} ({steps[i].GetType().Name.Split('`')[0]})";
        string description = string.Join(" → ", steps.Select((s, i) => s.GetType().Name.Split('`')[0]));
        int first = steps.FindIndex(IsOnnx);
        if (first < 0)
            throw new NotSupportedException($"the model has no ONNX network to explain ({description}); {Supported}");

        var networks = new List<ITransformer>();
        int i = first;
        for (; i < steps.Count && (IsOnnx(steps[i]) || steps[i] is ColumnCopyingTransformer); i++)
            if (IsOnnx(steps[i])) networks.Add(steps[i]);

        NormalizingTransformer? normalizer = null;
        object? predictor = null;
        int predictorStep = -1;
        for (; i < steps.Count; i++)
        {
            switch (steps[i])
            {
                case ValueToKeyMappingTransformer or KeyToValueMappingTransformer or ColumnCopyingTransformer:
                    continue;
                case NormalizingTransformer n when normalizer is null && predictor is null:
                    normalizer = n;
                    continue;
                case var p when predictor is null && IsPredictor(p):
                    predictor = p;
                    predictorStep = i;
                    continue;
                default:
                    throw new NotSupportedException($"{Name(i)} cannot be differentiated by GradCam; {Supported}");
            }
        }

        var model = OnnxChain.Join(networks.Select(n => (ModelProtoOf(n), ModelFile(n))).ToList());
        string inputColumn = Columns(networks[0], "Inputs").Single();
        var outputSchema = trained.GetOutputSchema(input);
        if (predictor is null)
        {
            // ApplyOnnxModel with a classifier: its output column holds the scores.
            string scores = Columns(networks[^1], "Outputs").Single();
            int classes = (int)(outputSchema[scores].Type is VectorDataViewType v ? v.Size : 1);
            return new FittedNetwork(model, inputColumn, scores, FittedScore.OnnxOutput, SlotNames(outputSchema, scores) ?? Numbered(classes), description, steps, first);
        }
        if (normalizer is not null && predictorStep < 0) throw new NotSupportedException($"a normaliser without a trainer after it; {Supported}");
        var head = LinearHead.From(predictor, normalizer, Name(predictorStep), Supported);
        head.AppendTo(model);
        var labels = head.Binary ? ["False", "True"] : SlotNames(outputSchema, "Score") ?? Numbered(head.Classes);
        return new FittedNetwork(model, inputColumn, "Score", head.Score, labels, description, steps, first);
    }

    // ML.NET's OnnxTransformer (Microsoft.ML.OnnxTransformer), known by name: GradCam does not depend on that package.
    private static bool IsOnnx(ITransformer step) => step.GetType().FullName == "Microsoft.ML.Transforms.Onnx.OnnxTransformer";

    private static bool IsPredictor(object step) =>
        step.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() is var d
        && (d == typeof(MulticlassPredictionTransformer<>) || d == typeof(BinaryPredictionTransformer<>));

    internal static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        if (transformer is IEnumerable chain && transformer.GetType().Name.StartsWith("TransformerChain", StringComparison.Ordinal))
        {
            foreach (var inner in chain.Cast<ITransformer>())
                foreach (var step in Flatten(inner)) yield return step;
        }
        else
        {
            yield return transformer;
        }
    }

    /// <summary>
    /// The file ML.NET's OnnxTransformer loaded (ML.NET does not expose it: read from its model, which keeps the file
    /// open), so that the network is the very file ML.NET runs, found where ML.NET found it.
    /// </summary>
    private static string ModelFile(ITransformer transformer)
    {
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;
        var model = transformer.GetType().GetField("Model", Any)?.GetValue(transformer);
        var stream = model?.GetType().GetProperty("ModelStream", Any)?.GetValue(model) as FileStream
            ?? throw new NotSupportedException("this ML.NET version's OnnxTransformer does not expose its model file (GradCam reads ML.NET 5's)");
        if (!File.Exists(stream.Name))
            throw new FileNotFoundException($"the network's ONNX file '{stream.Name}' is missing: DnnFeaturizeImage reads its models from the DnnImageModels folder next to the application (or the folder given to it)", stream.Name);
        return stream.Name;
    }

    private static ModelProto ModelProtoOf(ITransformer transformer)
    {
        string path = ModelFile(transformer);
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }

    private static string[] Columns(ITransformer transformer, string property)
    {
        var names = transformer.GetType().GetProperty(property, BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance)?.GetValue(transformer) as string[]
            ?? throw new NotSupportedException($"this ML.NET version's OnnxTransformer does not expose its {property.ToLowerInvariant()}");
        if (names.Length != 1) throw new NotSupportedException($"an ONNX step with {names.Length} {property.ToLowerInvariant()} ({string.Join(", ", names)}); GradCam explains networks with one image input and one output");
        return names;
    }

    private static IReadOnlyList<string>? SlotNames(DataViewSchema schema, string column)
    {
        if (schema.GetColumnOrNull(column) is not { } c || !c.HasSlotNames()) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        c.GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    private static IReadOnlyList<string> Numbered(int count) => GradCam.Models.Labels.ClassLabels.Numbered(count);
}
