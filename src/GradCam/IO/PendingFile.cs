namespace GradCam.IO;

/// <summary>
/// A file written under a temporary name beside its target and moved over it only when complete, so that the target
/// holds its old content or the whole new one, never a half-written file; a run that fails before anything was written
/// leaves an existing target untouched. The temporary name keeps the extension (encoders choose their format by it).
/// </summary>
public sealed class PendingFile
{
    /// <summary>Checks that the temporary file can be created (creating the target's folder): an output that cannot be written fails here, before any work.</summary>
    /// <param name="path">The target.</param>
    /// <param name="what">What the file is, for messages (<c>output video</c>, <c>timeline</c>, ...).</param>
    /// <exception cref="IOException">The folder cannot be created or written; the message names <paramref name="path"/>.</exception>
    public PendingFile(string path, string what)
    {
        Path = System.IO.Path.GetFullPath(path);
        What = what;
        TempPath = Path + ".tmp" + System.IO.Path.GetExtension(Path);
        if (Directory.Exists(Path)) throw new IOException($"{what} '{path}' is a folder; expected a file name");
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllBytes(TempPath, []);
            File.Delete(TempPath); // a probe: the writer creates it again
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{what} '{path}' cannot be written: {e.Message}", e);
        }
    }

    /// <summary>The target's full path.</summary>
    public string Path { get; }

    /// <summary>Where the content is written until <see cref="Commit"/>.</summary>
    public string TempPath { get; }

    /// <summary>What the file is, for messages.</summary>
    public string What { get; }

    /// <summary>Whether the file was moved into place.</summary>
    public bool Committed { get; private set; }

    /// <summary>Moves the complete file over the target.</summary>
    /// <exception cref="IOException">The move failed; the message names the target.</exception>
    public void Commit()
    {
        try
        {
            File.Move(TempPath, Path, overwrite: true);
            Committed = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Discard();
            throw new IOException($"{What} '{Path}' could not be put in place: {e.Message}", e);
        }
    }

    /// <summary>Deletes the temporary file; the target keeps whatever it held.</summary>
    public void Discard()
    {
        try
        {
            if (File.Exists(TempPath)) File.Delete(TempPath);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file never replaces the target.
        }
    }
}
