using System.Text.Json;
using GradCam.Dashcam.World;
using GradCam.Video.Investigation;
using Xunit;

namespace GradCam.Dashcam.Tests.World;

public class DriveRecorderTests
{
    [Fact]
    public void BoxesFileHoldsTheReasonsOfEveryStopFrame()
    {
        var truth = new List<TruthFrame>
        {
            new(0, 0, false, [new TruthObject("billboard", 1, 2, 3, 4, false)]),
            new(1, 0.067, true, [new TruthObject("stop sign", 10, 20, 30, 40, true), new TruthObject("billboard", 1, 2, 3, 4, false)]),
        };
        string path = Path.Combine(Path.GetTempPath(), $"boxes-{Guid.NewGuid():N}.json");
        try
        {
            DriveRecorder.SaveBoxes(truth, path);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var frames = doc.RootElement.EnumerateObject().ToList();
            Assert.Single(frames);                       // go frames have nothing to point at
            Assert.Equal("1", frames[0].Name);           // keyed by frame index, as gradcam evaluate reads a video
            Assert.Equal([[10, 20, 30, 40]], frames[0].Value.EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetInt32()).ToArray()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
