using GradCam.Engine.Targets;
using GradCam.Models;
using GradCam.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace GradCam.MLNet;

/// <summary>
/// Estimator of Grad-CAM for a fitted ML.NET model. Fitting trains nothing: it reads the model's network and head,
/// imports them, and checks on the first rows that the reconstruction gives the model's own scores.
/// </summary>
public sealed class FittedModelEstimator : IEstimator<GradCamTransformer>
{
    private readonly ITransformer _trained;
    private readonly FittedModelOptions _options;

    internal FittedModelEstimator(ITransformer trained, FittedModelOptions options)
    {
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be at least 1, got {options.BatchSize}");
        _trained = trained;
        _options = options;
    }

    /// <summary>Reads the fitted model's network and head, imports them and checks them against the model's scores.</summary>
    /// <param name="input">The rows the fitted model takes (a few are read for the check).</param>
    /// <returns>The transformer; dispose it to free the native model.</returns>
    /// <exception cref="NotSupportedException">A step GradCam cannot differentiate (named in the message).</exception>
    /// <exception cref="InvalidOperationException">The reconstruction does not reproduce the model's scores.</exception>
    public GradCamTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var network = FittedNetwork.Read(_trained, input.Schema);
        var o = _options;
        var core = new GradCamOptions
        {
            InputColumnName = network.InputColumn,
            PredictedLabelColumnName = null,   // ML.NET's own PredictedLabel and Score stay
            ScoreColumnName = null,
            HeatmapColumnName = o.HeatmapColumnName,
            TargetClassColumnName = o.TargetClassColumnName,
            ErrorColumnName = o.ErrorColumnName,
            Explainer = o.Explainer,
            // A class by label is resolved against the model's own label values now, so that a wrong one fails the fit.
            Target = o.Target is ClassTarget { IsTop: false } c ? ExplainTarget.Class(c.Resolve(network.Labels, network.Labels.Count, "the fitted model")) : o.Target,
            TargetColumnName = o.TargetColumnName,
            HeatmapResolution = o.HeatmapResolution,
            BatchSize = o.BatchSize,
            Model = new ModelSpec { Device = o.Device, Labels = network.Labels },
            // The network reads the column as ML.NET's OnnxTransformer does: the vector as it is.
            VectorScale = 1f,
            VectorChannelOrder = PixelChannelOrder.Rgb,
            VectorInterleaved = false,
        };
        GradCamEstimator.Validate(core);
        var model = OnnxModel.FromModel(network.Model, "fitted model", new OnnxImportOptions
        {
            Preprocessing = "none",
            Labels = network.Labels,
            Device = o.Prefix is null ? o.Device.Resolve() : null,
            Prefix = o.Prefix,
        });
        GradCamTransformer? transformer = null;
        try
        {
            transformer = new GradCamTransformer(core, model, ownsModel: true, _trained, input.Schema);
            FittedScoreCheck.Verify(transformer, network, input);
            return transformer;
        }
        catch
        {
            if (transformer is null) model.Dispose();
            else transformer.Dispose();
            throw;
        }
    }

    /// <summary>The fitted model's output columns plus the explanation's.</summary>
    /// <param name="inputSchema">The input's schema shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var trainedOutput = SchemaShapes.FromSchema(_trained.GetOutputSchema(SchemaShapes.ToSchema(inputSchema)));
        var columns = new GradCamOptions
        {
            PredictedLabelColumnName = null,
            ScoreColumnName = null,
            HeatmapColumnName = _options.HeatmapColumnName,
            TargetClassColumnName = _options.TargetClassColumnName,
            ErrorColumnName = _options.ErrorColumnName,
        };
        return new OutputColumns(columns, [], 1, 1).AppendShape(trainedOutput);
    }
}
