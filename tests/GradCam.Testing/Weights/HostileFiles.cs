using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;

namespace GradCam.Testing;

/// <summary>
/// Builds weights files the way an attacker or a broken writer would: torch.save zip archives with a hand-written
/// data.pkl (views, storages, arbitrary globals) and safetensors files with any header. Nothing large is written:
/// a file claims its sizes, it does not hold them.
/// </summary>
public sealed class HostileFiles
{
    /// <summary>A protocol-2 pickle written opcode by opcode.</summary>
    public sealed class Pickle
    {
        private readonly MemoryStream _bytes = new();

        public Pickle() => Op(0x80, 2);

        public Pickle Op(params byte[] ops)
        {
            _bytes.Write(ops);
            return this;
        }

        public Pickle Str(string value)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            Op((byte)'X').Int32(utf8.Length);
            _bytes.Write(utf8);
            return this;
        }

        public Pickle Int(BigInteger value)
        {
            if (value >= int.MinValue && value <= int.MaxValue) return Op((byte)'J').Int32((int)value);
            byte[] bytes = value.ToByteArray(); // little-endian two's complement, as LONG1 wants
            return Op(0x8a, (byte)bytes.Length).Op(bytes);
        }

        public Pickle Global(string module, string name) => Op((byte)'c').Op(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

        public Pickle Tuple(params BigInteger[] values)
        {
            Op((byte)'(');
            foreach (var v in values) Int(v);
            return Op((byte)'t');
        }

        /// <summary><c>name: _rebuild_tensor_v2(storage(key, numel), offset, sizes, strides, False, OrderedDict())</c>, a SETITEM into the dict on the stack.</summary>
        public Pickle Tensor(string name, string key, BigInteger numel, long offset, long[] sizes, long[] strides)
        {
            Str(name).Global("torch._utils", "_rebuild_tensor_v2").Op((byte)'(');
            Op((byte)'(').Str("storage").Global("torch", "FloatStorage").Str(key).Str("cpu").Int(numel).Op((byte)'t', (byte)'Q');
            Int(offset).Tuple([.. sizes.Select(s => (BigInteger)s)]).Tuple([.. strides.Select(s => (BigInteger)s)]);
            Op(0x89).Global("collections", "OrderedDict").Op((byte)')', (byte)'R');
            return Op((byte)'t', (byte)'R', (byte)'s');
        }

        /// <summary><c>name: module.name(arg)</c>: an arbitrary call, which a reader must never make.</summary>
        public Pickle Call(string name, string module, string function, string arg) =>
            Str(name).Global(module, function).Op((byte)'(').Str(arg).Op((byte)'t', (byte)'R', (byte)'s');

        public byte[] Stop() => Op((byte)'.')._bytes.ToArray();

        private Pickle Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            _bytes.Write(b);
            return this;
        }
    }

    private readonly string _dir;

    public HostileFiles(string dir) => _dir = dir;

    /// <summary>A torch.save zip archive: data.pkl (a dict the pickle fills) and the given storages.</summary>
    public string Zip(string name, Func<Pickle, Pickle> dict, params (string Key, byte[] Data)[] storages) =>
        ZipWithPickle(name, dict(new Pickle().Op((byte)'}')).Stop(), storages);

    public string ZipWithPickle(string name, byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        string path = Path.Combine(_dir, name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = archive.CreateEntry("archive/data.pkl").Open()) s.Write(pickle);
        foreach (var (key, data) in storages)
            using (var s = archive.CreateEntry($"archive/data/{key}").Open()) s.Write(data);
        using (var s = archive.CreateEntry("archive/version").Open()) s.Write("3\n"u8);
        return path;
    }

    /// <summary>A zip whose data.pkl inflates to <paramref name="bytes"/> (zeros compress a thousandfold).</summary>
    public string ZipBomb(string name, long bytes)
    {
        string path = Path.Combine(_dir, name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = archive.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open())
        {
            var zeros = new byte[1 << 20];
            for (long written = 0; written < bytes; written += zeros.Length) s.Write(zeros);
        }
        return path;
    }

    /// <summary>A safetensors file with this header (as JSON) and this much data after it.</summary>
    public string Safetensors(string name, string header, int dataBytes, ulong? announcedHeaderLength = null)
    {
        string path = Path.Combine(_dir, name);
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, announcedHeaderLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
