using GradCam.Dashcam.World;

namespace GradCam.Dashcam.Tests;

/// <summary>The demo's drive (seed 7) and its ground truth, recorded once per test class into a temporary folder.</summary>
public sealed class DemoDriveFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("gradcam-dashcam-").FullName;
    public string Clip => Path.Combine(Dir, "drive.mp4");
    public string Truth => Path.Combine(Dir, "truth.json");

    public DemoDriveFixture() => DriveRecorder.Record(Clip, Truth, seed: 7);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
