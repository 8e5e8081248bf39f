using GradCam.Models;

namespace GradCam.Dashcam.Tests;

/// <summary>The committed model packages (samples/dashcam/models), copied beside the tests.</summary>
internal static class Models
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "models", name + ".gcm");

    public static ImageClassifier Load(string name) => ModelPackage.Load(PathOf(name));
}
