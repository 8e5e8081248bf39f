using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>Mod: the remainder with the divisor's sign (<c>fmod = 0</c>, integers) or the dividend's (<c>fmod = 1</c>, C's fmod).</summary>
[OnnxOp("Mod", 10, 13)]
internal sealed class ModConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        bool fmod = node.Int("fmod", 0) == 1;
        return new FuncOp("Mod", x => fmod ? x[0]!.fmod(x[1]!) : x[0]!.remainder(x[1]!));
    }
}
