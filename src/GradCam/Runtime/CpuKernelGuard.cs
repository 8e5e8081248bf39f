using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GradCam.Runtime;

/// <summary>
/// Caps oneDNN, libtorch's CPU convolution library, at AVX2 before any convolution runs, unless the process already
/// sets <c>ONEDNN_MAX_CPU_ISA</c>. On the machine GradCam is developed on (a virtual machine advertising AVX-512),
/// oneDNN's AVX-512 kernels gave convolution input gradients that changed from run to run and disagreed with PyTorch,
/// which broke Guided Backpropagation; with AVX2 they are exact and repeatable. Set <c>ONEDNN_MAX_CPU_ISA=ALL</c> to
/// lift the cap on hardware where AVX-512 is known to be sound.
/// </summary>
internal static class CpuKernelGuard
{
    private const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>Whether the cap was applied by this process.</summary>
    public static bool Applied { get; private set; }

    [ModuleInitializer]
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        // .NET's Environment.SetEnvironmentVariable does not reach native getenv on Linux: set it in libc.
        Applied = setenv(Variable, "AVX2", 0) == 0 && setenv("DNNL_MAX_CPU_ISA", "AVX2", 0) == 0;
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}
