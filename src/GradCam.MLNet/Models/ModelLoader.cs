namespace GradCam.Models;

/// <summary>Resolves what users call a model: a <see cref="ModelZoo"/> name or the path of a <see cref="ModelPackage"/>.</summary>
public static class ModelLoader
{
    /// <summary>Builds the classifier a model name or package path describes.</summary>
    /// <param name="model">A zoo name (<c>vgg16</c>, <c>resnet18</c>, ...) or a model package file.</param>
    /// <param name="zoo">Weights, device and labels for a zoo model; only <see cref="ZooModelOptions.Device"/> applies to a package, which holds the rest.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">Neither a zoo name nor an existing file; or a zoo model without weights.</exception>
    /// <exception cref="InvalidDataException">The file is not a model package.</exception>
    public static ImageClassifier Load(string model, ZooModelOptions zoo)
    {
        if (ModelZoo.Contains(model)) return ModelZoo.Create(model, zoo);
        if (File.Exists(model))
            return ModelPackage.IsPackage(model)
                ? ModelPackage.Load(model, zoo.Device)
                : throw new InvalidDataException($"model '{model}' is not a model package (a zip with model.json and weights.safetensors)");
        throw new ArgumentException($"unknown model '{model}': not a model package file, nor one of {string.Join(", ", ModelZoo.Names)}", nameof(model));
    }
}
