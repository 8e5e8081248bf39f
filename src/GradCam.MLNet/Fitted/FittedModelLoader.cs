using GradCam.Models;
using GradCam.Models.Loading;

namespace GradCam.MLNet;

/// <summary>
/// Loads saved ML.NET models (<c>mlContext.Model.Save</c>) for a <see cref="ModelLoaderRegistry"/>: their network and
/// trained head reconstructed, their image steps as the input (see <see cref="FittedModelFile"/>).
/// </summary>
public sealed class FittedModelLoader : IModelLoader
{
    /// <inheritdoc />
    public string Kind => "mlnet";

    /// <inheritdoc />
    public string Description => "a saved ML.NET model (.zip)";

    /// <inheritdoc />
    public bool CanLoad(ModelSpec spec) => FittedModelFile.IsFittedModel(spec.Name);

    /// <inheritdoc />
    public ImageClassifier Load(ModelSpec spec, ModelLoaderRegistry registry)
    {
        spec.RejectWeights("a saved ML.NET model holds its weights");
        return FittedModelFile.Load(spec.Name, spec.Device.Resolve(), spec.DisplayName);
    }
}
