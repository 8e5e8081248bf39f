namespace GradCam.Models;

/// <summary>
/// A network that is its own model file (an imported ONNX graph with its weights): a model package stores that file,
/// and the <see cref="Loading.ModelLoaderRegistry"/> reads it back.
/// </summary>
public interface IPackageableNetwork
{
    /// <summary>The file's name inside a package (e.g. <c>model.onnx</c>); its extension tells the loaders what it is.</summary>
    string ModelFileName { get; }

    /// <summary>Writes the model file.</summary>
    /// <param name="stream">Where to write.</param>
    void WriteModelFile(Stream stream);
}
