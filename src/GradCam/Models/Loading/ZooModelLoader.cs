namespace GradCam.Models.Loading;

/// <summary>Loads torchvision's networks by name (<see cref="ModelZoo"/>) with the spec's weights.</summary>
public sealed class ZooModelLoader : IModelLoader
{
    /// <inheritdoc />
    public string Kind => "zoo";

    /// <inheritdoc />
    public string Description => $"a zoo name ({string.Join(", ", ModelZoo.Names)})";

    /// <inheritdoc />
    public bool CanLoad(ModelSpec spec) => ModelZoo.Contains(spec.Name);

    /// <inheritdoc />
    public ImageClassifier Load(ModelSpec spec, ModelLoaderRegistry registry) => ModelZoo.Create(spec);
}
