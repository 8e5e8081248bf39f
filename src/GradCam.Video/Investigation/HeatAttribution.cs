using GradCam.Engine;

namespace GradCam.Video.Investigation;

/// <summary>What a heatmap points at: the peak's position and the share of heat inside each ground-truth box.</summary>
public static class HeatAttribution
{
    /// <summary>An object's share of the heat; <paramref name="HoldsPeak"/> when the peak lies on it (within the pointing game's tolerance).</summary>
    public sealed record Share(TruthObject Object, double HeatShare, bool HoldsPeak);

    /// <summary>Each box's share of the total heat (a box's pixels counted once even where boxes overlap), and which holds the peak.</summary>
    public static IReadOnlyList<Share> Shares(CamMap heat, IReadOnlyList<TruthObject> boxes, int sourceWidth, int sourceHeight)
    {
        double total = heat.Data.Sum(v => (double)v);
        var (px, py) = heat.PeakIn(sourceWidth, sourceHeight);
        return boxes.Select(b =>
        {
            double inside = 0;
            for (int y = 0; y < heat.Height; y++)
                for (int x = 0; x < heat.Width; x++)
                {
                    int sx = (int)((x + 0.5) * sourceWidth / heat.Width), sy = (int)((y + 0.5) * sourceHeight / heat.Height);
                    if (b.Contains(sx, sy)) inside += heat[y, x];
                }
            return new Share(b, total > 0 ? inside / total : 0, b.Distance(px, py) <= GradCam.Evaluation.PointingGame.Tolerance(sourceWidth));
        }).OrderByDescending(s => s.HoldsPeak).ThenBy(s => s.Object.Distance(px, py)).ThenByDescending(s => s.HeatShare).ToList();
    }

    /// <summary>Without ground truth: the box around the hot spot (heat at least half the peak) that holds the peak.</summary>
    public static (int X, int Y, int Width, int Height) HotSpot(CamMap heat, int sourceWidth, int sourceHeight)
    {
        var (cx, cy) = heat.Peak();
        float threshold = heat.Max / 2;
        var seen = new bool[heat.Data.Length];
        var stack = new Stack<(int X, int Y)>();
        stack.Push((cx, cy));
        int x0 = cx, x1 = cx, y0 = cy, y1 = cy;
        while (stack.Count > 0)
        {
            var (x, y) = stack.Pop();
            if (x < 0 || y < 0 || x >= heat.Width || y >= heat.Height || seen[y * heat.Width + x] || heat[y, x] < threshold) continue;
            seen[y * heat.Width + x] = true;
            (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
            stack.Push((x + 1, y)); stack.Push((x - 1, y)); stack.Push((x, y + 1)); stack.Push((x, y - 1));
        }
        double sx = (double)sourceWidth / heat.Width, sy = (double)sourceHeight / heat.Height;
        return ((int)(x0 * sx), (int)(y0 * sy), (int)((x1 - x0 + 1) * sx), (int)((y1 - y0 + 1) * sy));
    }
}
