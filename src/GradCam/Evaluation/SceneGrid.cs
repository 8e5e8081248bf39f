using GradCam.Engine;
using OpenCvSharp;

namespace GradCam.Evaluation;

/// <summary>
/// A frame reduced to a heatmap's grid: its luminance in [0, 1], averaged over each cell. Comparing consecutive frames
/// at the map's own resolution measures the change the map could show: motion finer than a cell is invisible to it.
/// </summary>
public static class SceneGrid
{
    /// <summary>The frame's mean luminance per cell of a <paramref name="height"/> x <paramref name="width"/> grid.</summary>
    /// <param name="image">An 8-bit BGR(A) or grey image; the whole image, as the model sees it (stretched to its input).</param>
    /// <param name="height">The grid's rows.</param>
    /// <param name="width">The grid's columns.</param>
    public static CamMap From(Mat image, int height, int width)
    {
        using var grey = new Mat();
        if (image.Channels() == 1) image.CopyTo(grey);
        else Cv2.CvtColor(image, grey, image.Channels() == 4 ? ColorConversionCodes.BGRA2GRAY : ColorConversionCodes.BGR2GRAY);
        using var unit = new Mat();
        grey.ConvertTo(unit, MatType.CV_32FC1, 1 / 255.0); // averaged in float: 8 bits would round each cell
        using var cells = new Mat();
        Cv2.Resize(unit, cells, new Size(width, height), interpolation: InterpolationFlags.Area);
        cells.GetArray(out float[] data);
        return new CamMap(height, width, data);
    }
}
