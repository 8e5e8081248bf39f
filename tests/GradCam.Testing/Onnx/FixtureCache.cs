using System.Security.Cryptography;

namespace GradCam.Testing;

/// <summary>
/// Where a fixture script's outputs are cached: a folder named by the script's hash (in $GRADCAM_TEST_CACHE, or
/// ~/.cache/gradcam-tests), filled by running the script once; a 'complete' stamp marks a finished run.
/// </summary>
public static class FixtureCache
{
    /// <summary>The folder of a script's outputs, made by running it when no finished run is cached.</summary>
    /// <param name="script">The script's file name in the fixtures folder; it takes the output folder as its argument.</param>
    /// <param name="prefix">The folder name's prefix.</param>
    public static string Folder(string script, string prefix)
    {
        string path = PyTorchFixture.PathOf(script);
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..12].ToLowerInvariant();
        string root = Environment.GetEnvironmentVariable("GRADCAM_TEST_CACHE")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "gradcam-tests");
        string folder = Path.Combine(root, $"{prefix}-{hash}");
        if (!File.Exists(Path.Combine(folder, "complete"))) PythonScript.Run(script, folder);
        return folder;
    }

    /// <summary>A float32 little-endian file's values.</summary>
    public static float[] Floats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        return floats;
    }
}
