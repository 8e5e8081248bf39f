using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>
/// Reads and writes state_dict files. The format is detected from the file's content, never its extension:
/// PyTorch <c>.pth</c>/<c>.pt</c> (zip and legacy), safetensors, and TorchSharp's native format.
/// </summary>
public static class WeightsFile
{
    /// <summary>Detects the format of a weights file from its first bytes.</summary>
    /// <param name="path">The weights file.</param>
    /// <returns>The detected format.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is none of the supported formats.</exception>
    public static WeightsFormat DetectFormat(string path)
    {
        using var stream = Open(path);
        return Detect(stream, path);
    }

    /// <summary>Reads every tensor of a state_dict file.</summary>
    /// <param name="path">The weights file.</param>
    /// <returns>The named tensors, in file order; the caller disposes them.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable state_dict; the message names the file.</exception>
    public static StateDict Read(string path)
    {
        using var stream = Open(path);
        var format = Detect(stream, path);
        try
        {
            return format switch
            {
                WeightsFormat.PyTorchZip => TorchPickleStateDictReader.ReadZip(stream),
                WeightsFormat.PyTorchLegacy => TorchPickleStateDictReader.ReadLegacy(stream),
                WeightsFormat.Safetensors => SafetensorsStateDictReader.Read(stream),
                _ => TorchSharpStateDictReader.Read(stream),
            };
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or InvalidCastException or FormatException
                                      or KeyNotFoundException or System.Text.Json.JsonException or OverflowException)
        {
            throw new InvalidDataException($"weights file '{path}' ({Describe(format)}) is unreadable: {e.Message}", e);
        }
    }

    /// <summary>Writes a module's state_dict in the given format.</summary>
    /// <param name="module">The module whose parameters and buffers are written.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="format">The format; <see cref="WeightsFormat.PyTorchLegacy"/> cannot be written.</param>
    public static void Write(nn.Module module, string path, WeightsFormat format)
    {
        switch (format)
        {
            case WeightsFormat.PyTorchZip: module.save_py(path); break;
            case WeightsFormat.Safetensors: module.save_safetensors(path); break;
            case WeightsFormat.TorchSharp: module.save(path); break;
            default: throw new NotSupportedException($"writing {Describe(format)} is not supported; write {nameof(WeightsFormat.PyTorchZip)} instead");
        }
    }

    /// <summary>A human description of a format, for messages.</summary>
    /// <param name="format">The format.</param>
    public static string Describe(WeightsFormat format) => format switch
    {
        WeightsFormat.PyTorchZip => "PyTorch zip state_dict",
        WeightsFormat.PyTorchLegacy => "PyTorch legacy state_dict",
        WeightsFormat.Safetensors => "safetensors",
        _ => "TorchSharp state_dict",
    };

    private static FileStream Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"weights file '{path}' not found", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
    }

    private static WeightsFormat Detect(FileStream stream, string path)
    {
        Span<byte> head = stackalloc byte[16];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..n];
        stream.Position = 0;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return WeightsFormat.PyTorchZip;
        if (TorchPickleStateDictReader.LooksLegacy(head)) return WeightsFormat.PyTorchLegacy;
        if (SafetensorsStateDictReader.Looks(head, stream.Length)) return WeightsFormat.Safetensors;
        if (n > 0 && head[0] != 0x80 && head[0] != '{') return WeightsFormat.TorchSharp;
        throw new InvalidDataException(
            $"weights file '{path}' is not a state_dict: expected a PyTorch .pth/.pt (zip or legacy), a .safetensors or a TorchSharp file");
    }
}
