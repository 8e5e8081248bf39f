using GradCam.Imaging;
using GradCam.Video;
using GradCam.Video.Sources;
using OpenCvSharp;

namespace GradCam.LiveView.Evaluation;

/// <summary>One image to evaluate: its key (file name, or frame index of a video) and pixels, which the caller disposes.</summary>
internal sealed record EvaluationSample(string Key, Mat Image) : IDisposable
{
    public void Dispose() => Image.Dispose();
}

/// <summary>The images of <c>gradcam evaluate</c>: a folder's images in name order, or every N-th frame of a video.</summary>
internal static class EvaluationSamples
{
    /// <summary>How many samples there will be at most (for progress), and the samples, lazily.</summary>
    /// <exception cref="FileNotFoundException">The source does not exist.</exception>
    public static (int? Count, IEnumerable<EvaluationSample> Samples) Open(string path, int every, int max, Action<string> reportCorrupt)
    {
        if (Directory.Exists(path))
        {
            var files = ImageFolderSource.ImageFiles(path).Where((_, i) => i % every == 0).Take(max).ToArray();
            return (files.Length, FromFiles(files, reportCorrupt));
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"input '{path}' not found (expected a folder of images or a video file)", path);
        var video = new VideoFileSource(path);
        int? count = video.FrameCount is long n ? (int)Math.Min(max, (n + every - 1) / every) : null;
        return (count, FromVideo(video, every, max, reportCorrupt));
    }

    private static IEnumerable<EvaluationSample> FromFiles(string[] files, Action<string> reportCorrupt)
    {
        foreach (var file in files)
        {
            Mat image;
            try { image = ImagePreprocessor.Load(file); }
            catch (InvalidDataException e) { reportCorrupt(e.Message); continue; }
            yield return new EvaluationSample(Path.GetFileName(file), image);
        }
    }

    private static IEnumerable<EvaluationSample> FromVideo(VideoFileSource video, int every, int max, Action<string> reportCorrupt)
    {
        using (video)
        {
            int taken = 0;
            for (long index = 0; taken < max; index++)
            {
                var frame = new Mat();
                var result = video.Read(frame);
                if (result == FrameReadResult.End) { frame.Dispose(); yield break; }
                bool sampled = index % every == 0;
                if (sampled && result == FrameReadResult.Corrupt) reportCorrupt($"frame {index} of '{video.Description}' could not be decoded; skipped");
                if (!sampled || result == FrameReadResult.Corrupt)
                {
                    frame.Dispose();
                    continue;
                }
                taken++;
                yield return new EvaluationSample(index.ToString(System.Globalization.CultureInfo.InvariantCulture), frame);
            }
        }
    }
}
