using System.Text.Json;

namespace GradCam.Testing;

/// <summary>
/// The outputs of a fixture script, made on first use and cached by the script's hash (<see cref="FixtureCache"/>):
/// the folder, its files, the JSON references and the float32 inputs the scripts write.
/// </summary>
public abstract class ScriptFixture
{
    /// <summary>Runs <paramref name="script"/> unless its outputs are cached.</summary>
    protected ScriptFixture(string script, string prefix) => Directory = FixtureCache.Folder(script, prefix);

    public string Directory { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>The float32 input <c>NAME.input.bin</c>.</summary>
    public float[] Input(string name) => FixtureCache.Floats(PathOf($"{name}.input.bin"));

    /// <summary>The reference <c>NAME.json</c>.</summary>
    public JsonElement Reference(string name) => JsonDocument.Parse(File.ReadAllText(PathOf($"{name}.json"))).RootElement;
}
