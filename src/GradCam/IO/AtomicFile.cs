namespace GradCam.IO;

/// <summary>Replaces a file all at once: readers see the old file or the new one, never half of one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/>, then moves it over the target.
    /// The temporary name keeps the extension (image encoders choose their format by it) and is removed when writing fails.
    /// </summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="write">Writes the content to the temporary path it is given.</param>
    /// <returns>The full path written.</returns>
    public static string Write(string path, Action<string> write)
    {
        var file = new PendingFile(path, "file");
        try
        {
            write(file.TempPath);
        }
        catch (IOException e)
        {
            file.Discard();
            throw new IOException($"'{file.Path}' could not be written: {e.Message.Replace(file.TempPath, file.Path)}", e);
        }
        catch
        {
            file.Discard();
            throw;
        }
        file.Commit();
        return file.Path;
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8) all at once (see <see cref="Write"/>).</summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="text">Its new content.</param>
    /// <returns>The full path written.</returns>
    public static string WriteText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Checks early that <paramref name="path"/> can be written, without changing it.</summary>
    /// <param name="path">The file to be written later.</param>
    /// <param name="what">What the file is, for the message (<c>--json</c>, <c>timeline</c>, ...).</param>
    /// <exception cref="IOException">It cannot; the message names <paramref name="path"/>.</exception>
    public static void CheckWritable(string path, string what) => new PendingFile(path, what).Discard();
}
