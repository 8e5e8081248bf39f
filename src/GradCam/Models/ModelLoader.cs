using GradCam.Models.Onnx;

namespace GradCam.Models;

/// <summary>
/// Resolves what users call a model: a <see cref="ModelZoo"/> name, the path of a <see cref="ModelPackage"/>, or an
/// ONNX file (<see cref="OnnxModel"/>).
/// </summary>
public static class ModelLoader
{
    /// <summary>Builds the classifier a spec describes.</summary>
    /// <param name="spec">The model: a zoo name with its weights, a model package or an ONNX file, its device and labels.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">Neither a zoo name nor an existing file; a zoo model without weights; ONNX options for another kind of model.</exception>
    /// <exception cref="InvalidDataException">The file is neither a model package nor an ONNX model.</exception>
    public static ImageClassifier Load(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Load(spec.Name, spec.ZooOptions, spec.Onnx);
    }

    /// <summary>Builds the classifier a model name or file describes.</summary>
    /// <param name="model">A zoo name (<c>vgg16</c>, <c>resnet18</c>, ...), a model package file or an ONNX file.</param>
    /// <param name="zoo">Weights, device and labels for a zoo model; for a package only <see cref="ZooModelOptions.Device"/>
    /// applies (it holds the rest); for an ONNX model the device and labels.</param>
    /// <param name="onnx">How to import an ONNX model (input size, preprocessing); defaults when null.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">Neither a zoo name nor an existing file; a zoo model without weights; ONNX options for another kind of model.</exception>
    /// <exception cref="InvalidDataException">The file is neither a model package nor an ONNX model.</exception>
    public static ImageClassifier Load(string model, ZooModelOptions zoo, OnnxImportOptions? onnx = null)
    {
        if (ModelZoo.Contains(model)) return ModelZoo.Create(model, zoo);
        if (File.Exists(model))
        {
            if (ModelPackage.IsPackage(model)) return ModelPackage.Load(model, zoo.Device);
            if (OnnxModel.IsOnnx(model))
                return OnnxModel.Load(model, (onnx ?? new OnnxImportOptions()) with { Device = zoo.Device, Labels = onnx?.Labels ?? zoo.Labels });
            throw new InvalidDataException($"model '{model}' is neither a model package (a zip with model.json and weights.safetensors) nor an ONNX model");
        }
        if (Directory.Exists(model)) throw new ArgumentException($"model '{model}' is a folder; expected a zoo name, a model package or an ONNX file", nameof(model));
        throw new ArgumentException($"unknown model '{model}': not a model package or ONNX file, nor one of {string.Join(", ", ModelZoo.Names)}", nameof(model));
    }
}
