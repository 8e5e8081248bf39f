namespace GradCam.Models.Loading;

/// <summary>
/// Loads model packages (<see cref="ModelPackage"/>): an architecture with its weights, or a model file of another
/// kind (an ONNX graph) that the registry's loaders read with the package's input, labels and name.
/// </summary>
public sealed class PackageModelLoader : IModelLoader
{
    /// <inheritdoc />
    public string Kind => "package";

    /// <inheritdoc />
    public string Description => "a model package (a zip with model.json)";

    /// <inheritdoc />
    public bool CanLoad(ModelSpec spec) => ModelPackage.IsPackage(spec.Name);

    /// <inheritdoc />
    public ImageClassifier Load(ModelSpec spec, ModelLoaderRegistry registry)
    {
        spec.RejectWeights("a model package holds its weights");
        return ModelPackage.Load(spec.Name, spec.Device.Resolve(), registry, spec.Engine);
    }
}
