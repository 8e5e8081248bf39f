using GradCam.MLNet;
using GradCam.Models.Loading;
using GradCam.Onnx;
using GradCam.OnnxRuntime;

namespace GradCam.LiveView.Commands;

/// <summary>
/// The kinds of model the command line reads: the core's (zoo names, model packages), ONNX files with ONNX Runtime as
/// the hybrid engine, and saved ML.NET models. They are registered in <see cref="ModelLoaderRegistry.Default"/>, which
/// the fleet's silos use too.
/// </summary>
internal static class CliModels
{
    private static readonly Lazy<ModelLoaderRegistry> s_registry = new(() =>
        ModelLoaderRegistry.Default.AddOnnx(OnnxRuntimePrefix.Instance).AddMLNet());

    /// <summary>The registry, with every kind of model registered.</summary>
    public static ModelLoaderRegistry Registry => s_registry.Value;
}
