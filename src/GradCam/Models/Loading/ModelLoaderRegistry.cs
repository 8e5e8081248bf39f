using GradCam.Configuration;

namespace GradCam.Models.Loading;

/// <summary>
/// The kinds of model GradCam can load, as an extension point: the core registers zoo names and model packages;
/// <c>GradCam.Onnx</c> adds ONNX files and <c>GradCam.MLNet</c> saved ML.NET models. <see cref="ModelSpec.Load()"/>
/// loads through <see cref="Default"/>, so every front end loads any registered kind the same way.
/// </summary>
/// <remarks>Loaders are asked last added first; adding a loader of a kind already registered replaces it.</remarks>
public sealed class ModelLoaderRegistry
{
    private readonly object _gate = new();
    private IModelLoader[] _loaders = [];

    /// <summary>The registry <see cref="ModelSpec.Load()"/> uses: zoo names and model packages, plus what was added.</summary>
    public static ModelLoaderRegistry Default { get; } = CreateDefault();

    /// <summary>A registry of the core's loaders: zoo names and model packages.</summary>
    public static ModelLoaderRegistry CreateDefault() => new ModelLoaderRegistry().Add(new ZooModelLoader()).Add(new PackageModelLoader());

    /// <summary>The loaders, in the order they are asked.</summary>
    public IReadOnlyList<IModelLoader> Loaders => Volatile.Read(ref _loaders);

    /// <summary>Registers a loader (replacing one of the same <see cref="IModelLoader.Kind"/>).</summary>
    /// <param name="loader">The loader.</param>
    /// <returns>This registry.</returns>
    public ModelLoaderRegistry Add(IModelLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        lock (_gate)
            _loaders = [loader, .. _loaders.Where(l => l.Kind != loader.Kind)];
        return this;
    }

    /// <summary>Whether a loader of a kind is registered.</summary>
    /// <param name="kind">A <see cref="IModelLoader.Kind"/>.</param>
    public bool Contains(string kind) => Loaders.Any(l => l.Kind == kind);

    /// <summary>Builds the classifier a spec describes with the first loader that reads it.</summary>
    /// <param name="spec">The model.</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">No such file or zoo name, or a folder.</exception>
    /// <exception cref="InvalidDataException">A file no registered loader reads.</exception>
    public ImageClassifier Load(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Detector?.Validate();
        var loaders = Loaders;
        foreach (var loader in loaders)
        {
            if (!loader.CanLoad(spec)) continue;
            var model = loader.Load(spec, this);
            // The detector description is the spec's, whatever kind of file holds the network.
            if (spec.Detector is not null) model.Detector = spec.Detector;
            return model;
        }

        string kinds = string.Join(", ", loaders.Reverse().Select(l => l.Description));
        if (File.Exists(spec.Name)) throw new InvalidDataException($"model '{spec.Name}' is none of the kinds GradCam reads: {kinds}");
        if (Directory.Exists(spec.Name)) throw new SettingException("ModelSpec.Name", $"model '{spec.Name}' is a folder; expected {kinds}");
        throw new SettingException("ModelSpec.Name", $"unknown model '{spec.Name}': expected {kinds}");
    }
}
