using GradCam.IO;
using Xunit;

namespace GradCam.Tests.IO;

/// <summary>The atomic writer's failure paths: a writer that fails leaves the old file and no temporary one; an unwritable target fails before writing, naming it.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AWriterThatFailsLeavesTheOldFileAndNoTemporaryOne()
    {
        string path = Path.Combine(_dir, "table.csv");
        File.WriteAllText(path, "old");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, temp =>
        {
            File.WriteAllText(temp, "half of the new");
            throw new IOException($"disk full writing '{temp}'");
        }));
        Assert.Contains($"'{path}' could not be written", e.Message);
        Assert.DoesNotContain(".tmp.", e.Message); // the real path is named, not the temporary one
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, temp =>
        {
            File.WriteAllText(temp, "x");
            throw new InvalidOperationException("the writer gave up");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void ACompleteWriteReplacesTheFileAndAnUnwritableTargetFailsFirst()
    {
        string path = Path.Combine(_dir, "sub", "a.json");
        Assert.Equal(Path.GetFullPath(path), AtomicFile.Write(path, temp => File.WriteAllText(temp, "{}")));
        Assert.Equal("{}", File.ReadAllText(path));

        File.WriteAllText(Path.Combine(_dir, "file"), "not a folder");
        string impossible = Path.Combine(_dir, "file", "b.json");
        bool called = false;
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(impossible, _ => called = true));
        Assert.False(called);
        Assert.Contains(impossible, e.Message);
        var check = Assert.Throws<IOException>(() => AtomicFile.CheckWritable(impossible, "--json"));
        Assert.StartsWith($"--json '{impossible}' cannot be written", check.Message);
        Assert.Throws<IOException>(() => AtomicFile.CheckWritable(_dir, "--out")); // a folder is not a file
    }
}
