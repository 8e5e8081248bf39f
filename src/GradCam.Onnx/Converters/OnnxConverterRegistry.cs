using System.Reflection;

namespace GradCam.Onnx.Converters;

/// <summary>
/// The converters, keyed by (domain, operator, opset version) as onnx2torch keys them: a node of opset N uses the
/// converter registered for the highest version &lt;= N. Every <see cref="IOnnxConverter"/> in this assembly that
/// carries <see cref="OnnxOpAttribute"/>s is registered.
/// </summary>
internal static class OnnxConverterRegistry
{
    /// <summary>The lowest opset whose models are imported.</summary>
    public const int MinOpset = 7;

    /// <summary>The highest opset whose operator definitions are known.</summary>
    public const int MaxOpset = 21;

    private static readonly Dictionary<(string Domain, string Op), SortedList<int, IOnnxConverter>> s_converters = Build();

    /// <summary>The supported operators with the opset versions their converters are registered for.</summary>
    public static IReadOnlyList<(string Op, IReadOnlyList<int> Versions)> Supported { get; } =
        s_converters.OrderBy(kv => kv.Key.Op, StringComparer.Ordinal)
                    .Select(kv => (kv.Key.Op, (IReadOnlyList<int>)kv.Value.Keys.ToArray())).ToArray();

    /// <summary>The converter for a node of a domain, operator and opset.</summary>
    /// <exception cref="OnnxImportException">No converter: the message names the operator, its opset and the node.</exception>
    public static IOnnxConverter Resolve(string domain, string opType, int opset, string node)
    {
        string key = domain is "ai.onnx" ? "" : domain;
        if (s_converters.TryGetValue((key, opType), out var versions))
        {
            for (int i = versions.Count - 1; i >= 0; i--)
                if (versions.Keys[i] <= opset) return versions.Values[i];
            throw new OnnxImportException($"operator {opType} at opset {opset} (node '{node}') is not supported: it is imported from opset {versions.Keys[0]} on");
        }
        string qualified = key.Length == 0 ? opType : $"{key}.{opType}";
        throw new OnnxImportException($"operator {qualified} (opset {opset}, node '{node}') is not supported; supported operators: {string.Join(", ", Supported.Select(s => s.Op))}");
    }

    private static Dictionary<(string, string), SortedList<int, IOnnxConverter>> Build()
    {
        var table = new Dictionary<(string, string), SortedList<int, IOnnxConverter>>();
        foreach (var type in typeof(OnnxConverterRegistry).Assembly.GetTypes())
        {
            var attributes = type.GetCustomAttributes<OnnxOpAttribute>().ToArray();
            if (attributes.Length == 0 || !typeof(IOnnxConverter).IsAssignableFrom(type)) continue;
            var converter = (IOnnxConverter)Activator.CreateInstance(type, nonPublic: true)!;
            foreach (var a in attributes)
            {
                if (!table.TryGetValue((a.Domain, a.OpType), out var versions)) table[(a.Domain, a.OpType)] = versions = new();
                foreach (int version in a.SinceVersions) versions.Add(version, converter);
            }
        }
        return table;
    }
}
