using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models;

/// <summary>Turns <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> into a TorchSharp device.</summary>
public static class DeviceSelector
{
    /// <summary>Resolves a device name.</summary>
    /// <param name="name"><c>auto</c> (CUDA when available, else CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentException">The name is unknown, or CUDA was asked for and is not available.</exception>
    public static Device Resolve(string? name)
    {
        string n = (name ?? "auto").Trim().ToLowerInvariant();
        if (n == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (n == "cpu") return torch.CPU;
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"device '{name}': CUDA is not available (this build uses TorchSharp's CPU backend, or no GPU is present); use --device cpu or auto");
            return torch.device(n);
        }
        throw new ArgumentException($"unknown device '{name}': expected auto, cpu, cuda or cuda:N");
    }
}
