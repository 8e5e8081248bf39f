using System.Diagnostics;
using System.Numerics;
using GradCam.Models;
using GradCam.Models.Weights;
using Xunit;

namespace GradCam.Tests.Models.Weights;

/// <summary>
/// Hostile and malformed weights files (generated here, nothing committed): each is refused with one message naming the
/// file and the tensor, before anything is materialised, never with a native error or a cast exception; and a file
/// that loads is strict: every entry a tensor.
/// </summary>
public sealed class HostileWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-hostile-").FullName;
    private readonly HostileFiles _files;

    public HostileWeightsTests() => _files = new HostileFiles(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Floats(int n) => new byte[4 * n];

    private static void AssertRefused(string path, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => WeightsFile.Read(path).Dispose());
        Assert.StartsWith($"weights file '{path}'", e.Message);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in: {e.Message}");
    }

    public static TheoryData<string, long, long, long[], long[], string> Views() => new()
    {
        // A stride-0 view of one float as 600 million: 2.4 GB if materialised.
        { "stride0", 1, 0, [600_000_000], [0], "holds 600000000 elements, more than its storage's 1" },
        { "outside", 4, 0, [10], [1], "reaches element 9 of a storage of 4" },
        { "offset", 4, 3, [2], [1], "reaches element 4 of a storage of 4" },
        { "negative-stride", 4, 3, [4], [-1], "negative size, stride or offset" },
        { "negative-offset", 4, -1, [2], [1], "negative size, stride or offset" },
        { "overflow", 4, 0, [1L << 40, 1L << 40], [1, 1], "element count overflows" },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void AViewOutsideItsStorageIsRefusedBeforeItIsMaterialised(string name, long numel, long offset, long[] sizes, long[] strides, string expected)
    {
        string path = _files.Zip($"{name}.pth", p => p.Tensor("w", "0", numel, offset, sizes, strides), ("0", Floats((int)numel)));
        long before = Process.GetCurrentProcess().WorkingSet64;
        AssertRefused(path, $"tensor 'w' ");
        AssertRefused(path, expected);
        Assert.True(Process.GetCurrentProcess().WorkingSet64 - before < 200_000_000, "the view was materialised before it was refused");
    }

    [Fact]
    public void StorageSizesBeyondWhatTheFileHoldsAreRefusedWithoutAllocating()
    {
        AssertRefused(_files.Zip("long1.pth", p => p.Tensor("w", "0", BigInteger.One << 70, 0, [1], [1]), ("0", Floats(1))), "storage '0' size 1180591620717411303424 is beyond 64 bits");
        AssertRefused(_files.Zip("huge.pth", p => p.Tensor("w", "0", 1L << 40, 0, [1], [1]), ("0", Floats(1))), "above the 2 GB a storage can hold");
        AssertRefused(_files.Zip("short.pth", p => p.Tensor("w", "0", 1000, 0, [1000], [1]), ("0", Floats(1))), "storage data/0 holds 4 bytes, its header says 1000 elements");
        AssertRefused(_files.Zip("negative.pth", p => p.Tensor("w", "0", -5, 0, [1], [1]), ("0", Floats(1))), "negative size -5");
    }

    [Fact]
    public void ADataPklThatInflatesToGigabytesIsCutOffAtTheCap()
    {
        string path = _files.ZipBomb("bomb.pth", 200L << 20); // 200 MB of zeros in a file of about 200 KB
        Assert.True(new FileInfo(path).Length < 2_000_000, $"the bomb is {new FileInfo(path).Length} bytes");
        long before = Process.GetCurrentProcess().WorkingSet64;
        AssertRefused(path, "data.pkl inflates");
        long grown = Process.GetCurrentProcess().WorkingSet64 - before;
        Assert.True(grown < 150_000_000, $"the pickle was inflated past the cap: {grown} bytes more");
    }

    [Fact]
    public void AnEntryThatIsNotATensorRefusesTheFileNamingIt()
    {
        // posix.system next to real weights: never called, and the file is not loaded without it.
        string evil = _files.Zip("evil.pth", p => p.Tensor("w", "0", 4, 0, [4], [1]).Call("evil", "posix", "system", "echo owned"), ("0", Floats(4)));
        AssertRefused(evil, "entry 'evil' holds a pickled posix.system object, not a tensor");
        string number = _files.Zip("number.pth", p => p.Tensor("w", "0", 4, 0, [4], [1]).Str("epoch").Int(3).Op((byte)'s'), ("0", Floats(4)));
        AssertRefused(number, "entry 'epoch' holds a Int64, not a tensor");
        // A checkpoint keeps its extra entries outside the state_dict it nests: that file loads.
        var checkpoint = new HostileFiles.Pickle().Op((byte)'}').Str("epoch").Int(3).Op((byte)'s').Str("model").Op((byte)'}')
            .Tensor("w", "0", 4, 0, [4], [1]).Op((byte)'s').Stop();
        using var weights = WeightsFile.Read(_files.ZipWithPickle("checkpoint.pth", checkpoint, ("0", Floats(4))));
        Assert.Equal(["w"], weights.Keys);
    }

    public static TheoryData<string, string, int, string> SafetensorsCases() => new()
    {
        { "negative", """{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", 8, "outside the file's 8 bytes of data" },
        { "beyond", """{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, "outside the file's 8 bytes of data" },
        { "overlap", """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "tensor 'b' overlaps the tensor before it" },
        { "overflow", """{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}""", 8, "whose byte count overflows" },
        { "negative-size", """{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "negative size" },
    };

    [Theory]
    [MemberData(nameof(SafetensorsCases))]
    public void SafetensorsOffsetsAndShapesAreCheckedBeforeAnyData(string name, string header, int data, string expected) =>
        AssertRefused(_files.Safetensors($"{name}.safetensors", header, data), expected);

    [Fact]
    public void AHeaderLengthOfTwoToTheSixtySecondIsSaidToBeOneNotTakenForAnotherFormat()
    {
        string path = _files.Safetensors("header.safetensors", """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, announcedHeaderLength: 1UL << 62);
        Assert.Equal(WeightsFormat.Safetensors, WeightsFile.DetectFormat(path));
        AssertRefused(path, "the safetensors header announces 4611686018427387904 bytes");
    }

    [Fact]
    public void TheCliSaysItInOneLine()
    {
        string path = _files.Zip("evil.pth", p => p.Tensor("features.0.weight", "0", 1, 0, [600_000_000], [0]), ("0", Floats(1)));
        var e = Assert.Throws<InvalidDataException>(() => ModelZoo.Create(new ModelSpec("vgg16") { WeightsPath = path }).Dispose());
        Assert.DoesNotContain("\n", e.Message);
        Assert.Contains("tensor 'features.0.weight' holds 600000000 elements", e.Message);
    }
}
