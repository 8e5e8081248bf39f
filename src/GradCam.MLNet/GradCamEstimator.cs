using GradCam.Models;
using GradCam.Models.Labels;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GradCam.MLNet;

/// <summary>
/// Estimator of the Grad-CAM transform. Fitting learns nothing: it validates the input schema and loads the model
/// (zoo model and weights, a model package, or the <see cref="GradCamOptions.Classifier"/> given).
/// </summary>
public sealed class GradCamEstimator : IEstimator<GradCamTransformer>
{
    private readonly GradCamOptions _options;

    internal GradCamEstimator(GradCamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options.Clone();
    }

    /// <summary>Validates the input and loads the model.</summary>
    /// <param name="input">Data whose schema has the input column; no row is read.</param>
    /// <returns>The transformer; dispose it to free the native model.</returns>
    public GradCamTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputColumn.Resolve(input.Schema, _options);
        var options = _options.Clone();
        bool owns = options.Classifier is null;
        var model = options.Classifier ?? CreateModel(options);
        try
        {
            var transformer = new GradCamTransformer(options, model, owns);
            transformer.GetOutputSchema(input.Schema);
            return transformer;
        }
        catch when (owns)
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The input columns plus the output columns, as the transformer will produce them.</summary>
    /// <param name="inputSchema">The input's schema shape.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type (named in the message).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumn.Validate(inputSchema, _options);
        var labels = _options.Model.Labels ?? _options.Classifier?.Labels ?? ClassLabels.ImageNet;
        // The heatmap's dimensions are only known once the model is loaded; the shape says "vector of Single".
        return new OutputColumns(_options, labels, 1, 1).AppendShape(inputSchema);
    }

    private static ImageClassifier CreateModel(GradCamOptions o) => o.Model.Load();

    internal static void Validate(GradCamOptions o)
    {
        ArgumentNullException.ThrowIfNull(o.Model, nameof(o.Model));
        ArgumentNullException.ThrowIfNull(o.Explainer, nameof(o.Explainer));
        o.Explainer.Validate();
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.BatchSize), $"BatchSize must be at least 1, got {o.BatchSize}");
        if (o.Target is GradCam.Engine.Targets.DetectionTarget { IsAll: true })
            throw new ArgumentException("Target box:all gives several heatmaps per row; a column holds one: explain one box (box:N)", nameof(o.Target));
        if (o.VectorScale <= 0) throw new ArgumentOutOfRangeException(nameof(o.VectorScale), "VectorScale must be positive");
        var names = new[] { o.PredictedLabelColumnName, o.ScoreColumnName }.OfType<string>()
            .Concat([o.HeatmapColumnName, o.TargetClassColumnName, o.ErrorColumnName]).ToArray();
        if (names.Any(string.IsNullOrWhiteSpace) || names.Distinct().Count() != names.Length)
            throw new ArgumentException($"output column names must be distinct and non-empty: {string.Join(", ", names)}");
    }
}
