using GradCam.Imaging;
using GradCam.LiveView.Sources;
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
    private static readonly HashSet<string> s_extensions = new(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp" };

    /// <summary>How many samples there will be at most (for progress), and the samples, lazily.</summary>
    /// <exception cref="FileNotFoundException">The source does not exist.</exception>
    public static (int? Count, IEnumerable<EvaluationSample> Samples) Open(string path, int every, int max, Action<string> reportCorrupt)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path).Where(f => s_extensions.Contains(Path.GetExtension(f)))
                .Order(StringComparer.Ordinal).Where((_, i) => i % every == 0).Take(max).ToArray();
            if (files.Length == 0) throw new InvalidDataException($"image folder '{path}' holds no image (png, jpg, bmp, tif, webp)");
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
                if (index % every != 0 || result == FrameReadResult.Corrupt)
                {
                    if (result == FrameReadResult.Corrupt && index % every == 0) reportCorrupt($"frame {index} of '{video.Description}' could not be decoded; skipped");
                    frame.Dispose();
                    continue;
                }
                taken++;
                yield return new EvaluationSample(index.ToString(System.Globalization.CultureInfo.InvariantCulture), frame);
            }
        }
    }
}
