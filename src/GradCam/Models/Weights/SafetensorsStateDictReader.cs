using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>Reads Hugging Face safetensors files: an 8-byte header length, a JSON header, then raw tensors.</summary>
internal static class SafetensorsStateDictReader
{
    /// <summary>True when the bytes start like a safetensors file (a plausible header length followed by '{').</summary>
    public static bool Looks(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9 && head[8] == (byte)'{'
        && BinaryPrimitives.ReadUInt64LittleEndian(head) is var n && n > 1 && (long)n <= fileLength - 8;

    public static StateDict Read(Stream stream)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        long headerLength = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes));
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + headerLength;

        using var header = JsonDocument.Parse(headerBytes);
        var entries = header.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .Select(p => (Name: p.Name,
                          DType: DType(p.Value.GetProperty("dtype").GetString()),
                          Shape: p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                          Begin: p.Value.GetProperty("data_offsets")[0].GetInt64(),
                          End: p.Value.GetProperty("data_offsets")[1].GetInt64()))
            .OrderBy(e => e.Begin)
            .ToList();

        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            foreach (var e in entries)
            {
                long expected = e.Shape.Aggregate(1L, (a, b) => a * b) * TorchPickleStateDictReader.ElementSize(e.DType);
                if (e.End - e.Begin != expected)
                    throw new InvalidDataException($"tensor '{e.Name}' spans {e.End - e.Begin} bytes, its shape needs {expected}");
                stream.Position = dataStart + e.Begin;
                var data = new byte[expected];
                try { stream.ReadExactly(data); }
                catch (EndOfStreamException) { throw new InvalidDataException($"tensor '{e.Name}' is truncated"); }
                var t = torch.empty(e.Shape, e.DType);
                t.bytes = data;
                tensors.Add(new(e.Name, t));
            }
        }
        catch
        {
            foreach (var (_, t) in tensors) t.Dispose();
            throw;
        }
        return new StateDict(WeightsFormat.Safetensors, tensors);
    }

    private static ScalarType DType(string? name) => name switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"unsupported safetensors dtype '{name}'"),
    };
}
