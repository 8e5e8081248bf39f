using GradCam.IO;

namespace GradCam.LiveView.Commands;

/// <summary>
/// Checks a command's output files before any work and before any file is opened: none may be an input or another
/// output, and each must be writable. A failed check changes nothing on disk.
/// </summary>
internal static class OutputChecks
{
    /// <param name="inputs">The input files (and folders) the command reads.</param>
    /// <param name="outputs">Each output's option name and path; null paths are skipped.</param>
    /// <exception cref="ArgumentException">An output is an input or another output; the message names both.</exception>
    /// <exception cref="IOException">An output cannot be written; the message names it.</exception>
    public static void Check(IEnumerable<string> inputs, params (string Option, string? Path)[] outputs)
    {
        var given = outputs.Where(o => o.Path is not null).Select(o => (o.Option, Full: Path.GetFullPath(o.Path!))).ToArray();
        var sources = inputs.Select(Path.GetFullPath).ToArray();
        for (int i = 0; i < given.Length; i++)
        {
            var (option, path) = given[i];
            if (sources.Any(s => SameFile(s, path)))
                throw new ArgumentException($"{option} '{path}' is an input of this command: choose another output file");
            for (int j = 0; j < i; j++)
                if (SameFile(given[j].Full, path))
                    throw new ArgumentException($"{option} and {given[j].Option} are the same file '{path}': choose two different outputs");
        }
        foreach (var (option, path) in given) AtomicFile.CheckWritable(path, option);
    }

    private static bool SameFile(string a, string b) => string.Equals(Resolve(a), Resolve(b),
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    // A symbolic link is the file it points to.
    private static string Resolve(string path)
    {
        var file = new FileInfo(path);
        return (file.Exists ? file.ResolveLinkTarget(returnFinalTarget: true)?.FullName : null) ?? file.FullName.TrimEnd(Path.DirectorySeparatorChar);
    }
}
