using System.IO.Compression;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Models.Weights;

/// <summary>
/// Reads state_dicts written by <c>torch.save</c>, in the zip format (PyTorch 1.6+) and in the legacy
/// format (pickles followed by raw storages; e.g. torchvision's <c>vgg16-397923af.pth</c>).
/// Nothing in the file is executed: only the globals a state_dict uses are understood.
/// </summary>
internal static class TorchPickleStateDictReader
{
    // torch/serialization.py: MAGIC_NUMBER and PROTOCOL_VERSION of the legacy format.
    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356");
    private const long LegacyProtocolVersion = 1001;

    /// <summary>The largest data.pkl read: a state_dict's pickle holds names and sizes (a few KB for VGG16), not weights.</summary>
    internal const long MaxPickleBytes = 64 << 20;

    /// <summary>A storage named in a pickle's persistent id; its bytes arrive later (legacy) or from the archive (zip).</summary>
    private sealed class Storage(string key, ScalarType dtype, long numel)
    {
        public string Key { get; } = key;
        public ScalarType DType { get; } = dtype;
        public long Numel { get; } = numel;
        public byte[]? Data { get; set; }
    }

    /// <summary>A view into a storage, as <c>torch._utils._rebuild_tensor_v2</c> describes it.</summary>
    private sealed record TensorView(Storage Storage, long Offset, long[] Shape, long[] Stride);

    public static StateDict ReadZip(Stream stream)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var pkl = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
            ?? throw new InvalidDataException("zip archive has no data.pkl: not a torch.save file");
        string prefix = pkl.FullName[..^"data.pkl".Length];
        var storages = new Dictionary<string, Storage>();
        object? root;
        using (var pklStream = new MemoryStream())
        {
            // The directory's size can lie: the copy itself stops at the cap, so a zip bomb never inflates.
            if (pkl.Length > MaxPickleBytes) throw new InvalidDataException($"data.pkl inflates to {pkl.Length} bytes, above the {MaxPickleBytes >> 20} MB a state_dict's pickle needs");
            using (var s = pkl.Open()) CopyAtMost(s, pklStream, MaxPickleBytes, "data.pkl");
            pklStream.Position = 0;
            root = new PickleReader(pklStream, pid => PersistentLoad(pid, storages), Reduce).Load();
        }
        foreach (var storage in storages.Values)
        {
            var entry = archive.GetEntry($"{prefix}data/{storage.Key}")
                ?? throw new InvalidDataException($"zip archive lacks storage data/{storage.Key}");
            int bytes = StorageBytes(storage);
            if (entry.Length != bytes)
                throw new InvalidDataException($"storage data/{storage.Key} holds {entry.Length} bytes, its header says {storage.Numel} elements ({bytes} bytes)");
            using var data = entry.Open();
            storage.Data = ReadExactly(data, bytes, $"storage data/{storage.Key}");
        }
        return Materialise(root, WeightsFormat.PyTorchZip);
    }

    public static bool LooksLegacy(ReadOnlySpan<byte> head) =>
        // PROTO 2, LONG1 of 10 bytes holding the magic number 0x1950a86a20f9469cfc6c.
        head.Length >= 13 && head[0] == 0x80 && head[2] == 0x8a && head[3] == 10
        && new BigInteger(head.Slice(4, 10), isUnsigned: true) == LegacyMagic;

    public static StateDict ReadLegacy(Stream stream)
    {
        var storages = new Dictionary<string, Storage>();
        var header = new PickleReader(stream, _ => throw new InvalidDataException("unexpected persistent id in header"), Reduce);
        if (header.Load() is not BigInteger magic || magic != LegacyMagic)
            throw new InvalidDataException("not a legacy torch.save file (bad magic number)");
        if (header.Load() is not long version || version != LegacyProtocolVersion)
            throw new InvalidDataException("unsupported legacy torch.save protocol version");
        header.Load(); // sys_info: little_endian, type sizes (x86/ARM files are little-endian)

        var root = new PickleReader(stream, pid => PersistentLoad(pid, storages), Reduce).Load();
        if (header.Load() is not List<object?> keys)
            throw new InvalidDataException("legacy torch.save file lacks its storage key list");
        Span<byte> numelBytes = stackalloc byte[8];
        foreach (string key in keys.Cast<string>())
        {
            if (!storages.TryGetValue(key, out var storage))
                throw new InvalidDataException($"storage '{key}' is listed but never referenced");
            stream.ReadExactly(numelBytes);
            long numel = BitConverter.ToInt64(numelBytes);
            if (numel != storage.Numel)
                throw new InvalidDataException($"storage '{key}' holds {numel} elements, its header says {storage.Numel}");
            int bytes = StorageBytes(storage);
            if (stream.CanSeek && bytes > stream.Length - stream.Position)
                throw new InvalidDataException($"storage '{key}' is truncated (expected {bytes} bytes, {stream.Length - stream.Position} remain)");
            storage.Data = ReadExactly(stream, bytes, $"storage '{key}'");
        }
        return Materialise(root, WeightsFormat.PyTorchLegacy);
    }

    private static object PersistentLoad(object pid, Dictionary<string, Storage> storages)
    {
        // ('storage', storage_type, key, location, numel[, view_metadata])
        if (pid is not object?[] { Length: >= 5 } t || t[0] as string != "storage")
            throw new InvalidDataException("unknown persistent id (not a tensor storage)");
        string key = t[2]?.ToString() ?? throw new InvalidDataException("storage without key");
        if (t.Length > 5 && t[5] is not null)
            throw new InvalidDataException("storage views of PyTorch < 0.4 are not supported; re-save the file with a recent PyTorch");
        if (storages.TryGetValue(key, out var existing)) return existing;
        var dtype = StorageDType(t[1] as PickleGlobal);
        long numel = ToLong(t[4], $"storage '{key}' size");
        if (numel < 0) throw new InvalidDataException($"storage '{key}' has a negative size {numel}");
        var storage = new Storage(key, dtype, numel);
        storages[key] = storage;
        return storage;
    }

    private static object? Reduce(PickleGlobal g, object?[] args) => (g.Module, g.Name) switch
    {
        ("collections", "OrderedDict") => new PickleDict(),
        ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_tensor") => new TensorView(
            args[0] as Storage ?? throw new InvalidDataException("tensor without storage"),
            ToLong(args[1], "tensor offset"), Longs(args[2]), Longs(args[3])),
        ("torch._utils", "_rebuild_parameter" or "_rebuild_parameter_with_state") => args[0],
        ("torch.nn.parameter", "Parameter") => args[0],
        _ => new PickleCall(g, args),
    };

    private static long[] Longs(object? tuple) =>
        (tuple as object?[] ?? throw new InvalidDataException("expected a tuple of sizes")).Select(v => ToLong(v, "tensor size or stride")).ToArray();

    /// <summary>An integer of the pickle; one beyond 64 bits (a LONG1 of a hostile file) is refused, not cast.</summary>
    private static long ToLong(object? value, string what) => value switch
    {
        long l => l,
        int i => i,
        BigInteger big => throw new InvalidDataException($"{what} {big} is beyond 64 bits"),
        _ => throw new InvalidDataException($"{what} is a {value?.GetType().Name ?? "None"}, not an integer"),
    };

    private static ScalarType StorageDType(PickleGlobal? type) => type?.Name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new InvalidDataException($"unsupported storage type {type?.ToString() ?? "None"}"),
    };

    private static int StorageBytes(Storage s)
    {
        long bytes = s.Numel <= int.MaxValue ? s.Numel * ElementSize(s.DType) : long.MaxValue;
        if (bytes > Array.MaxLength)
            throw new InvalidDataException($"storage '{s.Key}' of {s.Numel} elements is above the 2 GB a storage can hold here");
        return (int)bytes;
    }

    private static void CopyAtMost(Stream from, Stream to, long limit, string what)
    {
        var buffer = new byte[81920];
        long total = 0;
        for (int n; (n = from.Read(buffer)) > 0;)
        {
            total += n;
            if (total > limit) throw new InvalidDataException($"{what} inflates beyond the {limit >> 20} MB a state_dict's pickle needs");
            to.Write(buffer, 0, n);
        }
    }

    internal static int ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static byte[] ReadExactly(Stream s, int count, string what)
    {
        var buffer = new byte[count];
        try { s.ReadExactly(buffer); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{what} is truncated (expected {count} bytes)"); }
        return buffer;
    }

    private static StateDict Materialise(object? root, WeightsFormat format)
    {
        if (root is PickleCall call)
            throw new InvalidDataException($"the file holds a pickled {call.Callable} object, not a state_dict: save model.state_dict() instead");
        if (root is not PickleDict dict)
            throw new InvalidDataException($"the file holds a {root?.GetType().Name ?? "None"}, not a state_dict");
        // Checkpoints often nest the weights: {"state_dict": {...}} or {"model": {...}}.
        if (!dict.Any(kv => kv.Value is TensorView)
            && dict.FirstOrDefault(kv => kv.Key is "state_dict" or "model" && kv.Value is PickleDict) is { Value: PickleDict inner })
            dict = inner;

        // Strict: every entry is a tensor, and every view lies within its storage, before anything is materialised.
        foreach (var (key, value) in dict)
        {
            if (value is TensorView view) CheckView(key.ToString()!, view);
            else throw new InvalidDataException(value is PickleCall obj
                ? $"entry '{key}' holds a pickled {obj.Callable} object, not a tensor: the file is refused"
                : $"entry '{key}' holds a {value?.GetType().Name ?? "None"}, not a tensor: the file is refused");
        }

        var tensors = new List<KeyValuePair<string, Tensor>>();
        try
        {
            var storageTensors = new Dictionary<Storage, Tensor>();
            foreach (var (key, value) in dict)
            {
                var view = (TensorView)value!;
                if (!storageTensors.TryGetValue(view.Storage, out var flat))
                {
                    flat = torch.empty(view.Storage.Numel, view.Storage.DType);
                    flat.bytes = view.Storage.Data ?? throw new InvalidDataException($"storage {view.Storage.Key} has no data");
                    storageTensors[view.Storage] = flat;
                }
                using var strided = flat.as_strided(view.Shape, view.Stride, view.Offset);
                using var contiguous = strided.contiguous();
                tensors.Add(new(key.ToString()!, contiguous.clone()));
            }
            foreach (var t in storageTensors.Values) t.Dispose();
        }
        catch
        {
            foreach (var (_, t) in tensors) t.Dispose();
            throw;
        }
        return new StateDict(format, tensors);
    }

    /// <summary>
    /// A view must lie inside its storage: sizes, strides and offset not negative, and its last element within the
    /// storage, all in checked arithmetic. A view may not hold more elements than its storage either (a stride-0 view of
    /// one float as 600 million would be materialised as 2.4 GB).
    /// </summary>
    private static void CheckView(string name, TensorView view)
    {
        if (view.Shape.Length != view.Stride.Length)
            throw new InvalidDataException($"tensor '{name}' has {view.Shape.Length} sizes and {view.Stride.Length} strides");
        if (view.Offset < 0 || view.Shape.Any(d => d < 0) || view.Stride.Any(d => d < 0))
            throw new InvalidDataException($"tensor '{name}' has a negative size, stride or offset: sizes [{string.Join(", ", view.Shape)}], strides [{string.Join(", ", view.Stride)}], offset {view.Offset}");
        try
        {
            long elements = 1, last = view.Offset;
            for (int i = 0; i < view.Shape.Length; i++)
            {
                elements = checked(elements * view.Shape[i]);
                if (view.Shape[i] > 0) last = checked(last + (view.Shape[i] - 1) * view.Stride[i]);
            }
            if (elements == 0) return;
            if (last >= view.Storage.Numel)
                throw new InvalidDataException($"tensor '{name}' reaches element {last} of a storage of {view.Storage.Numel}");
            if (elements > view.Storage.Numel)
                throw new InvalidDataException($"tensor '{name}' holds {elements} elements, more than its storage's {view.Storage.Numel} (overlapping strides)");
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"tensor '{name}' has sizes [{string.Join(", ", view.Shape)}] whose element count overflows");
        }
    }
}
