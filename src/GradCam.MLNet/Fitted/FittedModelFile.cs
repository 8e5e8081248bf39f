using System.IO.Compression;
using GradCam.Models;
using GradCam.Onnx;
using Microsoft.ML;
using static TorchSharp.torch;

namespace GradCam.MLNet;

/// <summary>
/// A fitted ML.NET model file (<c>mlContext.Model.Save(trained, schema, "model.zip")</c>) as an <see cref="ImageClassifier"/>:
/// its network and trained head reconstructed (see <see cref="GradCamCatalog.GradCam(TransformsCatalog, ITransformer, FittedModelOptions)"/>)
/// and its image steps as the input specification, so that the command line and the dashcam investigation explain it
/// like any model.
/// </summary>
public static class FittedModelFile
{
    /// <summary>Whether a file is a saved ML.NET model (a zip with ML.NET's <c>TransformerChain</c> or <c>Model</c> entries).</summary>
    /// <param name="path">Any file.</param>
    public static bool IsFittedModel(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            return archive.Entries.Any(e => e.FullName.StartsWith("TransformerChain/", StringComparison.Ordinal))
                   && archive.GetEntry(ModelPackage.ManifestEntry) is null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Loads a saved ML.NET model and reconstructs its network and head as a classifier of images.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="device">Where to run; the CPU when null.</param>
    /// <param name="name">The display name; the file's name when null.</param>
    /// <exception cref="NotSupportedException">A step GradCam cannot differentiate, or image steps it cannot reproduce from pictures.</exception>
    public static ImageClassifier Load(string path, Device? device = null, string? name = null)
    {
        var ml = new MLContext();
        ITransformer trained;
        DataViewSchema schema;
        try
        {
            trained = ml.Model.Load(path, out schema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // ML.NET reports a missing component (e.g. Microsoft.ML.OnnxTransformer) deep inside reflection errors.
            var cause = e;
            while (cause.InnerException is not null) cause = cause.InnerException;
            throw new InvalidDataException($"ML.NET model '{path}' could not be loaded: {cause.Message.Split('\n')[0].Trim()}", e);
        }
        var network = FittedNetwork.Read(trained, FittedImageInput.WithImageColumn(trained, schema));
        return OnnxModel.FromModel(network.Model, name ?? Path.GetFileNameWithoutExtension(path), new OnnxImportOptions
        {
            Labels = network.Labels,
            Device = device,
            Mean = network.ImageInput.Mean,
            Std = network.ImageInput.Std,
            Scale = network.ImageInput.Scale,
            Bgr = network.ImageInput.Bgr,
            Preprocessing = "none",
        });
    }
}
