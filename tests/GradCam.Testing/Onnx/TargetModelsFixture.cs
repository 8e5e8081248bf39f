using System.Text.Json;

namespace GradCam.Testing;

/// <summary>
/// Small networks for targets beyond a class, written and exported by Fixtures/make_target_models.py with their PyTorch
/// references: a single-stage detector in the YOLOv8 and YOLOv5 layouts, a two-headed regressor and a segmenter, with
/// the image they were explained on. Made on first use (seconds) and cached by the script's hash.
/// </summary>
public sealed class TargetModelsFixture
{
    public TargetModelsFixture() => Directory = FixtureCache.Folder("make_target_models.py", "targets");

    public string Directory { get; }

    public string PathOf(string file) => Path.Combine(Directory, file);

    /// <summary>The 96x96 image every model was explained on (RGB in [0, 1]: the 'none' preprocessing).</summary>
    public string Image => PathOf("image.png");

    public JsonElement Reference(string name) => JsonDocument.Parse(File.ReadAllText(PathOf($"{name}.json"))).RootElement;
}
