using System.Reflection;

namespace GradCam.Engine.Methods;

/// <summary>The registry of explanation methods: every <see cref="CamMethod"/> member with its <see cref="MethodAttribute"/> definition.</summary>
public static class CamMethods
{
    private static readonly CamMethodDefinition[] s_all = typeof(CamMethod).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field =>
        {
            var type = field.GetCustomAttribute<MethodAttribute>()?.Definition
                       ?? throw new InvalidOperationException($"CamMethod.{field.Name} has no [Method(typeof(...))] definition");
            var definition = (CamMethodDefinition)Activator.CreateInstance(type, nonPublic: true)!;
            definition.Method = (CamMethod)field.GetValue(null)!;
            return definition;
        })
        .OrderBy(d => d.Method)
        .ToArray();

    /// <summary>Every method, in the enum's order.</summary>
    public static IReadOnlyList<CamMethodDefinition> All => s_all;

    /// <summary>Every method's command-line name, in the enum's order.</summary>
    public static IReadOnlyList<string> Names { get; } = s_all.Select(d => d.Name).ToArray();

    /// <summary>The definition of a method.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a member of <see cref="CamMethod"/>.</exception>
    public static CamMethodDefinition Get(CamMethod method) =>
        s_all.FirstOrDefault(d => d.Method == method) ?? throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method");

    /// <summary>Parses a command-line name (case-insensitive; the enum's own names are accepted too).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static CamMethod Parse(string name)
    {
        foreach (var d in s_all)
            if (string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(d.Method.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return d.Method;
        throw new ArgumentException($"unknown method '{name}'; expected one of {string.Join(", ", Names)}", nameof(name));
    }
}
