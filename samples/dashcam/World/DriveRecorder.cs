using GradCam.IO;
using System.Text.Json;
using GradCam.Video.Investigation;
using GradCam.Video.Sinks;
using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>Renders <see cref="Drive"/> to a video file and its per-frame ground truth (<see cref="TruthFile"/>, event = stop).</summary>
public static class DriveRecorder
{
    /// <summary>Writes the clip and the truth; returns the number of frames.</summary>
    public static int Record(string videoPath, string? truthPath, int seed, int width = 640, int height = 360, TextWriter? log = null,
                             string? boxesPath = null) =>
        Record(videoPath, truthPath, t => Drive.At(t, seed), (int)(Drive.Seconds * Drive.Fps), width, height, log, boxesPath);

    /// <summary>Writes any drive — its scene at each time — and its truth; returns the number of frames.</summary>
    public static int Record(string videoPath, string? truthPath, Func<double, Scene> at, int frames, int width, int height, TextWriter? log = null,
                             string? boxesPath = null)
    {
        var truth = new List<TruthFrame>(frames);
        using (var video = new VideoFileSink(videoPath, Drive.Fps, new Size(width, height)))
        {
            for (int i = 0; i < frames; i++)
            {
                double t = i / Drive.Fps;
                var (image, frameTruth) = SceneRenderer.Render(at(t), width, height);
                using (image) video.WriteImage(image);
                truth.Add(new TruthFrame(i, Math.Round(t, 3), frameTruth.Stop,
                    frameTruth.Objects.Select(o => new TruthObject(o.Name, o.X, o.Y, o.Width, o.Height, o.ReasonToStop)).ToList()));
                if (log is not null && i % 75 == 74) log.WriteLine($"rendered {i + 1}/{frames} frames");
            }
            video.Complete(); // finalised, checked and moved into place (disposing alone discards it)
        }
        if (truthPath is not null) TruthFile.Save(truth, truthPath);
        if (boxesPath is not null) SaveBoxes(truth, boxesPath);
        return frames;
    }

    /// <summary>
    /// Writes, for <c>gradcam evaluate --boxes</c>, the boxes of the reasons to stop of every <c>stop</c> frame, keyed by
    /// frame index: the pointing game then asks whether the map of <c>stop</c> points at what the rule says.
    /// </summary>
    public static void SaveBoxes(IReadOnlyList<TruthFrame> truth, string path) =>
        AtomicFile.WriteText(path, JsonSerializer.Serialize(
            truth.Where(f => f.Event).ToDictionary(
                f => f.Frame.ToString(System.Globalization.CultureInfo.InvariantCulture),
                f => f.Objects.Where(o => o.Reason).Select(o => new[] { o.X, o.Y, o.Width, o.Height }).ToArray())));
}
