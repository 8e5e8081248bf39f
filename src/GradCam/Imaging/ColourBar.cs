using OpenCvSharp;

namespace GradCam.Imaging;

/// <summary>A vertical colour bar at the right edge of a frame: the colormap from cold to hot, with the scale in use.</summary>
public static class ColourBar
{
    /// <summary>Draws the bar in place.</summary>
    /// <param name="image">The BGR frame drawn on.</param>
    /// <param name="colormap">The heat colouring.</param>
    /// <param name="scale">What full heat means, e.g. <c>per frame</c>, <c>running max</c>, <c>fixed 2.5</c>.</param>
    public static void Draw(Mat image, Colormap colormap, string scale)
    {
        int height = Math.Max(20, image.Height / 3), width = Math.Max(6, image.Width / 80);
        int x = image.Width - width - Math.Max(4, image.Width / 100), y = (image.Height - height) / 2;
        if (x < 0 || y < 0) return;
        using var ramp = new Mat(height, 1, MatType.CV_8UC1);
        for (int i = 0; i < height; i++) ramp.Set(i, 0, (byte)(255 * (height - 1 - i) / (height - 1)));  // hot at the top
        using var colored = HeatmapColorizer.Colorize(ramp, colormap);
        using (var roi = new Mat(image, new Rect(x, y, width, height)))
            Cv2.Resize(colored, roi, new Size(width, height), 0, 0, InterpolationFlags.Nearest);
        Cv2.Rectangle(image, new Rect(x - 1, y - 1, width + 2, height + 2), Scalar.White, 1);
        double font = Math.Clamp(image.Width / 1600.0, 0.3, 0.6);
        foreach (var (text, ty) in new[] { ("1", y + 4), ("0", y + height), (scale, y + height + (int)(22 * font / 0.5)) })
        {
            var size = Cv2.GetTextSize(text, HersheyFonts.HersheySimplex, font, 1, out _);
            var at = new Point(Math.Max(0, Math.Min(x - size.Width - 4, image.Width - size.Width - 2)), Math.Min(image.Height - 2, ty));
            Cv2.PutText(image, text, at, HersheyFonts.HersheySimplex, font, Scalar.Black, 3, LineTypes.AntiAlias);
            Cv2.PutText(image, text, at, HersheyFonts.HersheySimplex, font, Scalar.White, 1, LineTypes.AntiAlias);
        }
    }
}
