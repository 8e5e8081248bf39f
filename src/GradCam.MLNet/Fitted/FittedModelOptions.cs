using GradCam.Engine;
using GradCam.Models;

namespace GradCam.MLNet;

/// <summary>
/// Options of Grad-CAM for a fitted ML.NET model (<see cref="GradCamCatalog.GradCam(Microsoft.ML.TransformsCatalog, Microsoft.ML.ITransformer, FittedModelOptions)"/>):
/// the model's own columns stay as ML.NET computes them; these name the columns GradCam adds and how it explains.
/// </summary>
public sealed class FittedModelOptions : ExplanationOptions
{
    /// <summary>Where the network runs (<c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>
    /// The hybrid engine: a runtime that runs the network up to the target layer (<c>GradCam.OnnxRuntime.OnnxRuntimePrefix.Instance</c>,
    /// ONNX Runtime, as ML.NET itself runs the network); null runs the whole network in TorchSharp. CPU only.
    /// </summary>
    public GradCam.Onnx.IOnnxPrefixRuntime? Prefix { get; set; }
}
