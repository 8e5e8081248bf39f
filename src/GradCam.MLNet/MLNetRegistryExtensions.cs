using System.Runtime.CompilerServices;
using GradCam.Models.Loading;
using GradCam.Onnx;

namespace GradCam.MLNet;

/// <summary>Registers saved ML.NET models as a kind of model.</summary>
public static class MLNetRegistryExtensions
{
    /// <summary>Adds (or replaces) the loader of saved ML.NET models.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>The registry.</returns>
    public static ModelLoaderRegistry AddMLNet(this ModelLoaderRegistry registry) => registry.Add(new FittedModelLoader());

#pragma warning disable CA2255 // Referencing this assembly is how an application says it reads saved ML.NET models.
    [ModuleInitializer]
    internal static void RegisterInDefault()
    {
        // ML.NET models name ONNX files too (GradCamOptions.Model = "model.onnx"): this package reads both.
        if (!ModelLoaderRegistry.Default.Contains("onnx")) ModelLoaderRegistry.Default.AddOnnx();
        if (!ModelLoaderRegistry.Default.Contains("mlnet")) ModelLoaderRegistry.Default.AddMLNet();
    }
#pragma warning restore CA2255
}
