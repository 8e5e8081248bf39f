using System.Runtime.CompilerServices;
using GradCam.Models.Loading;

namespace GradCam.Onnx;

/// <summary>Registers ONNX files as a kind of model.</summary>
public static class OnnxRegistryExtensions
{
    /// <summary>Adds (or replaces) the ONNX loader.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="prefix">The hybrid engine's runtime (<c>OnnxRuntimePrefix.Instance</c>); null runs all in TorchSharp.</param>
    /// <returns>The registry.</returns>
    public static ModelLoaderRegistry AddOnnx(this ModelLoaderRegistry registry, IOnnxPrefixRuntime? prefix = null) =>
        registry.Add(new OnnxModelLoader(prefix));

#pragma warning disable CA2255 // Referencing this assembly is how an application says it reads ONNX files.
    [ModuleInitializer]
    internal static void RegisterInDefault()
    {
        if (!ModelLoaderRegistry.Default.Contains("onnx")) ModelLoaderRegistry.Default.AddOnnx();
    }
#pragma warning restore CA2255
}
