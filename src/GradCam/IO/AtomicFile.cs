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
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp" + Path.GetExtension(full);
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return full;
    }
}
