using System.Reflection;

namespace GradCam.Models.Labels;

/// <summary>Class names, by class index.</summary>
public static class ClassLabels
{
    private static readonly Lazy<IReadOnlyList<string>> s_imageNet = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("GradCam.Models.Labels.imagenet_classes.txt")
            ?? throw new InvalidOperationException("the embedded ImageNet labels are missing from the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    });

    /// <summary>
    /// ImageNet-1k's 1000 class names in torchvision's index order (from the npm package
    /// <c>@tensorflow-models/mobilenet</c>; see <c>scripts/extract-imagenet-labels.js</c>).
    /// </summary>
    public static IReadOnlyList<string> ImageNet => s_imageNet.Value;

    /// <summary>
    /// Reads a label file: one class name per line in index order (blank lines ignored), or a JSON array of strings.
    /// </summary>
    /// <param name="path">The label file.</param>
    /// <returns>The class names.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no names.</exception>
    public static IReadOnlyList<string> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"label file '{path}' not found", path);
        var text = File.ReadAllText(path);
        IReadOnlyList<string> labels = text.TrimStart().StartsWith('[')
            ? System.Text.Json.JsonSerializer.Deserialize<string[]>(text) ?? []
            : Parse(text);
        if (labels.Count == 0) throw new InvalidDataException($"label file '{path}' holds no class names (expected one per line)");
        return labels;
    }

    /// <summary>Labels <c>class 0</c> ... <c>class n-1</c>, for models without names.</summary>
    /// <param name="count">The number of classes.</param>
    public static IReadOnlyList<string> Numbered(int count) => Enumerable.Range(0, count).Select(i => $"class {i}").ToArray();

    private static string[] Parse(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}
