using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>Reads Hugging Face safetensors files: an 8-byte header length, a JSON header, then raw tensors.</summary>
internal static class SafetensorsStateDictReader
{
    /// <summary>The largest header read: names, dtypes, shapes and offsets (a few KB for a CNN).</summary>
    private const long MaxHeaderBytes = 100 << 20;

    /// <summary>True when the bytes start like a safetensors file: a header length, then '{'. Whether the length is
    /// plausible is checked by <see cref="Read"/>, which says so rather than taking the file for another format.</summary>
    public static bool Looks(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) > 1;

    public static StateDict Read(Stream stream)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong announced = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (announced > (ulong)Math.Min(MaxHeaderBytes, stream.Length - 8))
            throw new InvalidDataException($"the safetensors header announces {announced} bytes; the file holds {stream.Length - 8} after the length (and headers stop at {MaxHeaderBytes >> 20} MB)");
        long headerLength = (long)announced;
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

        // Every offset is checked before a byte of data is allocated: inside the data, in order, not overlapping.
        long dataLength = stream.Length - dataStart, previousEnd = 0;
        foreach (var e in entries)
        {
            if (e.Begin < 0 || e.End < e.Begin || e.End > dataLength)
                throw new InvalidDataException($"tensor '{e.Name}' has data offsets [{e.Begin}, {e.End}] outside the file's {dataLength} bytes of data");
            if (e.Begin < previousEnd)
                throw new InvalidDataException($"tensor '{e.Name}' overlaps the tensor before it (offset {e.Begin} < {previousEnd})");
            previousEnd = e.End;
            if (e.Shape.Any(d => d < 0)) throw new InvalidDataException($"tensor '{e.Name}' has a negative size [{string.Join(", ", e.Shape)}]");
            long needed;
            try
            {
                needed = checked(e.Shape.Aggregate(1L, (a, b) => a * b) * TorchPickleStateDictReader.ElementSize(e.DType));
            }
            catch (OverflowException)
            {
                throw new InvalidDataException($"tensor '{e.Name}' has sizes [{string.Join(", ", e.Shape)}] whose byte count overflows");
            }
            if (e.End - e.Begin != needed)
                throw new InvalidDataException($"tensor '{e.Name}' spans {e.End - e.Begin} bytes, its shape needs {needed}");
            if (needed > Array.MaxLength) throw new InvalidDataException($"tensor '{e.Name}' of {needed} bytes is above the 2 GB a tensor can hold here");
        }

        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            foreach (var e in entries)
            {
                long expected = e.End - e.Begin;
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
