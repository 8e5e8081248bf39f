namespace GradCam.Models;

/// <summary>Where a model file's network runs.</summary>
public enum ModelEngine
{
    /// <summary>All of it in TorchSharp.</summary>
    TorchSharp,

    /// <summary>
    /// The part below the target layer on another runtime where one is registered (ONNX Runtime for ONNX models), the
    /// rest in TorchSharp, which differentiates it. CPU only; other models run in TorchSharp.
    /// </summary>
    Hybrid,
}
