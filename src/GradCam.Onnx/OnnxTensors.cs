using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace GradCam.Onnx;

/// <summary>
/// Converts ONNX <c>TensorProto</c>s to TorchSharp tensors and back. Floating-point tensors of any precision become
/// float32, integers become int64, booleans stay booleans. Data may be inline (<c>raw_data</c> or the typed fields)
/// or external (<c>data_location = EXTERNAL</c>, a file next to the model).
/// </summary>
internal static class OnnxTensors
{
    /// <summary>Converts a tensor proto to a new CPU tensor.</summary>
    /// <param name="proto">The tensor.</param>
    /// <param name="baseDirectory">Where external data files are looked up (the model's folder); null when none may be used.</param>
    /// <exception cref="OnnxImportException">Malformed sizes or data, an unsupported type, or unreadable external data.</exception>
    public static Tensor ToTorch(TensorProto proto, string? baseDirectory)
    {
        string name = string.IsNullOrEmpty(proto.Name) ? "(unnamed)" : proto.Name;
        var dims = proto.Dims.ToArray();
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) throw new OnnxImportException($"tensor '{name}' has a negative dimension ({string.Join("x", dims)})");
            try { count = checked(count * d); }
            catch (OverflowException) { throw new OnnxImportException($"tensor '{name}' is too large ({string.Join("x", dims)})"); }
        }
        var type = (DataType)proto.DataType;
        var (storage, size) = StorageOf(type, name);

        ReadOnlySpan<byte> raw;
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
            raw = ReadExternal(proto, name, baseDirectory);
        else if (!proto.RawData.IsEmpty)
            raw = proto.RawData.Span;
        else
            return FromTypedFields(proto, type, storage, dims, count, name);

        long bytes = count * size;
        if (raw.Length != bytes)
            throw new OnnxImportException($"tensor '{name}' holds {raw.Length} bytes of data, its shape {string.Join("x", dims)} of {type} needs {bytes}");
        var tensor = torch.empty(dims, storage);
        if (bytes > 0) Copy(raw, tensor);
        return Widen(tensor);
    }

    private static unsafe void Copy(ReadOnlySpan<byte> source, Tensor destination)
    {
        fixed (byte* p = source) destination.bytes = new Span<byte>(p, source.Length);
    }

    /// <summary>Writes a tensor's values into a proto as <c>raw_data</c> (float32, int64 or bool), keeping its name.</summary>
    public static void Fill(TensorProto proto, Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        proto.Dims.Clear();
        proto.Dims.AddRange(cpu.shape);
        proto.DataType = DataTypeOf(cpu.dtype, proto.Name);
        ClearData(proto);
        proto.RawData = UnsafeByteOperations.UnsafeWrap(cpu.bytes.ToArray());
    }

    /// <summary>The ONNX element type of the tensors an import holds: float32, int64 or bool.</summary>
    /// <exception cref="NotSupportedException">Any other type.</exception>
    public static int DataTypeOf(ScalarType type, string name) => (int)(type switch
    {
        ScalarType.Float32 => DataType.Float,
        ScalarType.Int64 => DataType.Int64,
        ScalarType.Bool => DataType.Bool,
        _ => throw new NotSupportedException($"tensor '{name}' of type {type} cannot be written"),
    });

    /// <summary>Empties a proto's data (inline, typed or external), keeping its name, type and shape.</summary>
    public static void ClearData(TensorProto proto)
    {
        proto.RawData = ByteString.Empty;
        proto.FloatData.Clear();
        proto.Int32Data.Clear();
        proto.Int64Data.Clear();
        proto.DoubleData.Clear();
        proto.Uint64Data.Clear();
        proto.ExternalData.Clear();
        proto.DataLocation = TensorProto.Types.DataLocation.Default;
    }

    /// <summary>The name of an ONNX element type, for messages.</summary>
    public static string NameOf(int dataType) => ((DataType)dataType).ToString();

    private static (ScalarType Storage, int Size) StorageOf(DataType type, string name) => type switch
    {
        DataType.Float => (ScalarType.Float32, 4),
        DataType.Double => (ScalarType.Float64, 8),
        DataType.Float16 => (ScalarType.Float16, 2),
        DataType.Bfloat16 => (ScalarType.BFloat16, 2),
        DataType.Int64 => (ScalarType.Int64, 8),
        DataType.Int32 => (ScalarType.Int32, 4),
        DataType.Int16 => (ScalarType.Int16, 2),
        DataType.Int8 => (ScalarType.Int8, 1),
        DataType.Uint8 => (ScalarType.Byte, 1),
        DataType.Bool => (ScalarType.Bool, 1),
        _ => throw new OnnxImportException($"tensor '{name}' has element type {type}, which is not supported (float, double, float16, bfloat16, int8-64, uint8, bool are)"),
    };

    private static Tensor Widen(Tensor t)
    {
        var target = t.dtype switch
        {
            ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16 => ScalarType.Float32,
            ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte => ScalarType.Int64,
            _ => t.dtype,
        };
        if (target == t.dtype) return t;
        var widened = t.to_type(target);
        t.Dispose();
        return widened;
    }

    private static Tensor FromTypedFields(TensorProto proto, DataType type, ScalarType storage, long[] dims, long count, string name)
    {
        Tensor tensor = type switch
        {
            DataType.Float => torch.tensor(proto.FloatData.ToArray()),
            DataType.Double => torch.tensor(proto.DoubleData.ToArray()),
            DataType.Int64 => torch.tensor(proto.Int64Data.ToArray()),
            // float16/bfloat16 are stored as their 16 bits in int32_data; the integer types as their values.
            DataType.Float16 or DataType.Bfloat16 => Bits16(proto.Int32Data, storage),
            _ => torch.tensor(proto.Int32Data.Select(v => (long)v).ToArray()),
        };
        if (tensor.numel() != count)
        {
            long got = tensor.numel();
            tensor.Dispose();
            throw new OnnxImportException($"tensor '{name}' holds {got} values, its shape {string.Join("x", dims)} needs {count}");
        }
        if (type == DataType.Bool)
        {
            var b = tensor.ne(0);
            tensor.Dispose();
            tensor = b;
        }
        var shaped = tensor.reshape(dims);
        tensor.Dispose();
        return Widen(shaped);
    }

    private static Tensor Bits16(IList<int> values, ScalarType storage)
    {
        var bytes = new byte[values.Count * 2];
        for (int i = 0; i < values.Count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (ushort)values[i]);
        var t = torch.empty([values.Count], storage);
        if (bytes.Length > 0) t.bytes = bytes;
        return t;
    }

    private static byte[] ReadExternal(TensorProto proto, string name, string? baseDirectory)
    {
        var entries = proto.ExternalData.ToDictionary(e => e.Key, e => e.Value);
        if (!entries.TryGetValue("location", out var location) || string.IsNullOrEmpty(location))
            throw new OnnxImportException($"tensor '{name}' is stored externally but names no location");
        if (baseDirectory is null)
            throw new OnnxImportException($"tensor '{name}' is stored in the external file '{location}', which can only be read when the model is loaded from a file");
        if (Path.IsPathRooted(location) || location.Split('/', '\\').Contains(".."))
            throw new OnnxImportException($"tensor '{name}': external data location '{location}' must be a relative path inside the model's folder");
        string path = Path.Combine(baseDirectory, location);
        if (!File.Exists(path)) throw new OnnxImportException($"tensor '{name}': external data file '{path}' not found");
        long offset = entries.TryGetValue("offset", out var o) ? ParseLong(o, name, "offset") : 0;
        using var stream = File.OpenRead(path);
        long length = entries.TryGetValue("length", out var l) ? ParseLong(l, name, "length") : stream.Length - offset;
        if (offset < 0 || length < 0 || offset > stream.Length || length > stream.Length - offset || length > Array.MaxLength)
            throw new OnnxImportException($"tensor '{name}': external data (offset {offset}, length {length}) lies outside '{path}' ({stream.Length} bytes)");
        var bytes = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static long ParseLong(string text, string name, string key) =>
        long.TryParse(text, out var v) ? v : throw new OnnxImportException($"tensor '{name}': external data {key} '{text}' is not an integer");
}
