namespace GradCam.Models.Loading;

/// <summary>
/// Builds classifiers from one kind of model (zoo names, model packages, ONNX files, saved ML.NET models, ...). Loaders
/// are registered in a <see cref="ModelLoaderRegistry"/>, which asks them in turn.
/// </summary>
public interface IModelLoader
{
    /// <summary>The kind of model, e.g. <c>onnx</c>; a registry holds one loader per kind.</summary>
    string Kind { get; }

    /// <summary>What this loader reads, for messages (e.g. <c>an ONNX file (.onnx)</c>).</summary>
    string Description { get; }

    /// <summary>Whether this loader reads the model a spec names (a cheap look at the name or the file's first bytes).</summary>
    /// <param name="spec">The model.</param>
    bool CanLoad(ModelSpec spec);

    /// <summary>Builds the classifier.</summary>
    /// <param name="spec">A model this loader can read.</param>
    /// <param name="registry">The registry asking, for models made of other models (a package holding an ONNX file).</param>
    /// <returns>The classifier; the caller disposes it.</returns>
    ImageClassifier Load(ModelSpec spec, ModelLoaderRegistry registry);
}
