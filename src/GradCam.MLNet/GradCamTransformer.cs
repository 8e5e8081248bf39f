using System.IO.Compression;
using System.Text.Json;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.IO;
using GradCam.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;

namespace GradCam.MLNet;

/// <summary>
/// The fitted Grad-CAM transform: adds a predicted label, class scores, a heatmap, the explained class and an error
/// column to every row. Lazy like every ML.NET transform: nothing runs until a cursor reads an output column, and each
/// row costs one forward and one gradient shared by all its output columns, computed in mini-batches.
/// </summary>
/// <remarks>
/// ML.NET's <c>mlContext.Model.Save</c> cannot host third-party transformers (their loader registration is internal
/// to ML.NET), so this transformer saves itself: <see cref="Save(string)"/> and <see cref="Load(MLContext, string, string)"/>.
/// Dispose it (or the <c>PredictionEngine</c> created with <c>ownsTransformer: true</c>) to free the native model.
/// </remarks>
public sealed class GradCamTransformer : ITransformer, IDisposable
{
    internal const string OptionsEntry = "gradcam.json";
    internal const string TrainedEntry = "trained.zip";

    private readonly bool _ownsModel;
    private readonly DataViewSchema? _trainedInput;
    private readonly TransformerChain<ITransformer>? _chain;
    private bool _disposed;

    internal GradCamTransformer(GradCamOptions options, ImageClassifier model, bool ownsModel)
    {
        Options = options;
        Model = model;
        _ownsModel = ownsModel;
        Explainer = new GradCamExplainer(model, options.Explainer);
        Rows = new RowExplainer(Explainer, options);
        // One probe explanation tells the class count and the layer's resolution (the column types need both).
        var probe = Probe(Explainer);
        var labels = options.Model.Labels ?? model.Labels;
        if (labels.Count != probe.Probabilities.Length)
            throw new ArgumentException(
                $"{labels.Count} class labels for model '{model.Name}', which has {probe.Probabilities.Length} classes", nameof(options));
        var (h, w) = options.HeatmapResolution == HeatmapResolution.Input
            ? (probe.Heatmap.Height, probe.Heatmap.Width)
            : (probe.Cam.Height, probe.Cam.Width);
        Outputs = new OutputColumns(options, labels, h, w);
    }

    /// <summary>
    /// Explains a fitted ML.NET model: <paramref name="trained"/> runs first, exactly as fitted, and the explanation
    /// columns are computed from the column its network reads.
    /// </summary>
    internal GradCamTransformer(GradCamOptions options, ImageClassifier model, bool ownsModel, ITransformer trained, DataViewSchema trainedInput)
        : this(options, model, ownsModel)
    {
        Trained = trained;
        _trainedInput = trainedInput;
        _chain = new TransformerChain<ITransformer>(trained, new ExplanationStep(this));
    }

    /// <summary>The explained model.</summary>
    public ImageClassifier Model { get; }

    /// <summary>
    /// The user's fitted model when this transformer explains one (<see cref="GradCamCatalog.GradCam(TransformsCatalog, ITransformer, FittedModelOptions)"/>):
    /// it runs first and its columns (<c>PredictedLabel</c>, <c>Score</c>, …) are ML.NET's own; null otherwise.
    /// </summary>
    public ITransformer? Trained { get; }

    /// <summary>The (first) target layer's dotted name.</summary>
    public string TargetLayer => Explainer.Layer;

    /// <summary>The target layers' dotted names (several when their maps are fused).</summary>
    public IReadOnlyList<string> TargetLayers => Explainer.Layers;

    /// <summary>The explanation method.</summary>
    public CamMethod Method => Explainer.Method;

    internal GradCamOptions Options { get; }

    internal GradCamExplainer Explainer { get; }

    internal RowExplainer Rows { get; }

    internal OutputColumns Outputs { get; }

    /// <summary>Always true: the transformer maps rows one to one (it works in a <c>PredictionEngine</c>).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the output columns.</summary>
    /// <param name="inputSchema">The schema of the data to transform.</param>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type (named in the message).</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chain is not null) return _chain.GetOutputSchema(inputSchema);
        InputColumn.Resolve(inputSchema, Options);
        return Outputs.Append(inputSchema);
    }

    /// <summary>A row mapper for single rows (used by <c>PredictionEngine</c>).</summary>
    /// <param name="inputSchema">The input rows' schema.</param>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chain is not null) return ((ITransformer)_chain).GetRowToRowMapper(inputSchema);
        return new GradCamRowMapper(this, inputSchema, InputColumn.Resolve(inputSchema, Options));
    }

    /// <summary>Returns the lazily transformed data; the input is validated now, nothing is computed until read.</summary>
    /// <param name="input">The data to transform.</param>
    public IDataView Transform(IDataView input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_chain is not null) return _chain.Transform(input);
        return new GradCamDataView(this, input, InputColumn.Resolve(input.Schema, Options));
    }

    /// <summary>Not supported: ML.NET's model format cannot load third-party transformers.</summary>
    /// <exception cref="NotSupportedException">Always; the message says what to call instead.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "GradCamTransformer cannot be saved with mlContext.Model.Save: ML.NET only loads transformers it registers itself. " +
        "Save the Grad-CAM step with gradCamTransformer.Save(path) and load it with GradCamTransformer.Load(mlContext, path); " +
        "save the rest of the pipeline with mlContext.Model.Save and re-append the loaded Grad-CAM transformer.");

    /// <summary>
    /// Saves the transformer to one zip file: its options and a model package (architecture, input specification,
    /// labels, default layer and weights).
    /// </summary>
    /// <param name="path">The file to write (replaced atomically).</param>
    /// <exception cref="NotSupportedException">The model wraps an arbitrary TorchSharp module whose architecture cannot be saved.</exception>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        AtomicFile.Write(path, temp =>
        {
            using var archive = ZipFile.Open(temp, ZipArchiveMode.Create);
            ModelPackage.Write(Model, archive);
            using (var stream = archive.CreateEntry(OptionsEntry).Open())
            {
                var saved = Options.Clone();
                saved.Explainer = Explainer.Options; // the target layers as resolved
                SavedOptions.Write(stream, saved);
            }
            if (Trained is not null)
            {
                // The user's model in ML.NET's own format, beside the reconstructed network.
                using var trained = archive.CreateEntry(TrainedEntry).Open();
                using var buffer = new MemoryStream();
                new MLContext().Model.Save(Trained, _trainedInput, buffer);
                buffer.Position = 0;
                buffer.CopyTo(trained);
            }
        });
    }

    /// <summary>Loads a transformer written by <see cref="Save(string)"/>.</summary>
    /// <param name="mlContext">The ML.NET context (kept for symmetry with ML.NET's loaders).</param>
    /// <param name="path">The file.</param>
    /// <param name="device">Overrides the saved device (<c>auto</c>, <c>cpu</c>, <c>cuda</c>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a saved Grad-CAM transformer.</exception>
    public static GradCamTransformer Load(MLContext mlContext, string path, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        if (!File.Exists(path)) throw new FileNotFoundException($"Grad-CAM transformer file '{path}' not found", path);
        using var archive = ZipFile.OpenRead(path);
        var entry = archive.GetEntry(OptionsEntry)
            ?? throw new InvalidDataException($"'{path}' is not a saved Grad-CAM transformer (no {OptionsEntry} inside)");
        GradCamOptions options;
        using (var stream = entry.Open())
            options = SavedOptions.Read(stream, path);
        if (device is not null) options.Model = options.Model with { Device = device };
        var model = ModelPackage.Read(archive, path, options.Model.Device.Resolve());
        try
        {
            if (archive.GetEntry(TrainedEntry) is not { } trainedEntry) return new GradCamTransformer(options, model, ownsModel: true);
            using var buffer = new MemoryStream();
            using (var stream = trainedEntry.Open()) stream.CopyTo(buffer);
            buffer.Position = 0;
            var trained = mlContext.Model.Load(buffer, out var trainedInput);
            return new GradCamTransformer(options, model, ownsModel: true, trained, trainedInput);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Removes the hook and, when the transformer built the model, frees the native model.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Explainer.Dispose();
        if (_ownsModel) Model.Dispose();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>The explanation columns alone, after the fitted model in <see cref="_chain"/>.</summary>
    private sealed class ExplanationStep(GradCamTransformer owner) : ITransformer
    {
        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            InputColumn.Resolve(inputSchema, owner.Options);
            return owner.Outputs.Append(inputSchema);
        }

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
            new GradCamRowMapper(owner, inputSchema, InputColumn.Resolve(inputSchema, owner.Options));

        public IDataView Transform(IDataView input) => new GradCamDataView(owner, input, InputColumn.Resolve(input.Schema, owner.Options));

        void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)owner).Save(ctx);
    }

    private static Explanation Probe(GradCamExplainer explainer)
    {
        // Grad-CAM at the same layers gives every method's shapes (the guided ones are at input resolution) for one
        // forward pass, where probing Score-CAM itself would cost hundreds.
        var o = explainer.Options;
        using var gradCam = new GradCamExplainer(explainer.Model, new ExplainerOptions { Layers = o.Layers, Fusion = o.Fusion });
        var spec = explainer.Model.Input;
        using var zeros = torch.zeros(1, 3, spec.Height, spec.Width);
        var e = gradCam.Explain(zeros, topK: 1)[0];
        return explainer.Definition.UsesGuidedBackprop
            ? new Explanation(e.TopK, e.TargetClass, e.TargetLabel, e.TargetLogit, e.Probabilities, e.Heatmap, e.Heatmap, explainer.Method)
            : e;
    }
}
