using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>Fast copies of tensors into managed arrays (one block copy instead of TorchSharp's element accessor).</summary>
internal static class TensorCopy
{
    public static float[] ToFloats(Tensor t) => Copy<float>(t, ScalarType.Float32);

    public static long[] ToLongs(Tensor t) => Copy<long>(t, ScalarType.Int64);

    private static T[] Copy<T>(Tensor t, ScalarType type) where T : unmanaged
    {
        using var scope = torch.NewDisposeScope();
        var cpu = t.device_type == DeviceType.CPU ? t : t.cpu();
        if (cpu.dtype != type) cpu = cpu.to_type(type);
        if (!cpu.is_contiguous()) cpu = cpu.contiguous();
        return MemoryMarshal.Cast<byte, T>(cpu.bytes).ToArray();
    }
}
