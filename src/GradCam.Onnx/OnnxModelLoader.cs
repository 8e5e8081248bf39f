using GradCam.Models.Loading;

namespace GradCam.Onnx;

/// <summary>
/// Loads ONNX files (<see cref="OnnxModel"/>) for a <see cref="ModelLoaderRegistry"/>, with the spec's input, labels,
/// device and name; <see cref="ModelEngine.Hybrid"/> runs the graph's first part on <see cref="Prefix"/>.
/// </summary>
/// <param name="prefix">The runtime of the hybrid engine (ONNX Runtime from <c>GradCam.OnnxRuntime</c>); null runs all in TorchSharp.</param>
public sealed class OnnxModelLoader(IOnnxPrefixRuntime? prefix = null) : IModelLoader
{
    /// <summary>The runtime of the hybrid engine; null when none is registered.</summary>
    public IOnnxPrefixRuntime? Prefix { get; } = prefix;

    /// <inheritdoc />
    public string Kind => "onnx";

    /// <inheritdoc />
    public string Description => "an ONNX file (.onnx)";

    /// <inheritdoc />
    public bool CanLoad(ModelSpec spec) => File.Exists(spec.Name) && OnnxModel.IsOnnx(spec.Name);

    /// <inheritdoc />
    public ImageClassifier Load(ModelSpec spec, ModelLoaderRegistry registry)
    {
        spec.RejectWeights("an ONNX model holds its weights");
        var options = new OnnxImportOptions(spec.Input ?? new InputOptions())
        {
            Labels = spec.Labels,
            Name = spec.DisplayName,
            Device = spec.Device.Resolve(),
            Prefix = spec.Engine == ModelEngine.Hybrid ? Prefix : null,
        };
        return OnnxModel.Load(spec.Name, options);
    }
}
