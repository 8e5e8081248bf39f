using GradCam.Engine;

namespace GradCam.Video.Investigation;

/// <summary>
/// What a heatmap points at: for each ground-truth object, its share of the heat, its share of the frame's area and
/// their ratio (the concentration), and whether it holds the peak; and the connected hot regions, with the ones no
/// object covers. All on the heatmap's grid: a cell belongs to a box when its centre, mapped to source pixels, does.
/// </summary>
public static class HeatAttribution
{
    /// <summary>A hot region's cells have at least this fraction of the map's peak heat.</summary>
    public const double HotFraction = 0.5;

    /// <summary>An object's numbers.</summary>
    /// <param name="Object">The object.</param>
    /// <param name="HeatShare">Its box's share of the frame's heat, in [0, 1].</param>
    /// <param name="HoldsPeak">Whether the peak lies on it (within the pointing game's tolerance).</param>
    /// <param name="AreaShare">Its box's share of the frame's area, in [0, 1].</param>
    public sealed record Share(TruthObject Object, double HeatShare, bool HoldsPeak, double AreaShare = 0)
    {
        /// <summary>
        /// The heat share over the area share: how many times the frame's average heat density the box holds (1: no
        /// more than its size explains; 7: seven times). 0 for a box outside the frame.
        /// </summary>
        public double Concentration => AreaShare > 0 ? HeatShare / AreaShare : 0;
    }

    /// <summary>A connected region of cells at least <see cref="HotFraction"/> of the peak heat.</summary>
    /// <param name="X">Left, source pixels.</param>
    /// <param name="Y">Top, source pixels.</param>
    /// <param name="Width">Width, source pixels.</param>
    /// <param name="Height">Height, source pixels.</param>
    /// <param name="HeatShare">The region's share of the frame's heat.</param>
    /// <param name="HoldsPeak">Whether the map's peak is in it.</param>
    /// <param name="CoveredBy">The object whose box holds the region's own peak (within the pointing game's tolerance), or null.</param>
    public sealed record HotRegion(int X, int Y, int Width, int Height, double HeatShare, bool HoldsPeak, string? CoveredBy)
    {
        /// <summary>Where the region is in the frame, in words ("the bottom right").</summary>
        public string Where(int frameWidth, int frameHeight)
        {
            double cx = (X + Width / 2.0) / frameWidth, cy = (Y + Height / 2.0) / frameHeight;
            string row = cy < 1 / 3.0 ? "top" : cy < 2 / 3.0 ? "middle" : "bottom";
            string column = cx < 1 / 3.0 ? "left" : cx < 2 / 3.0 ? "centre" : "right";
            return row == "middle" && column == "centre" ? "the centre" : $"the {row} {column}";
        }
    }

    /// <summary>Each box's share of the total heat and of the area (a box's cells counted once even where boxes overlap), and which holds the peak.</summary>
    public static IReadOnlyList<Share> Shares(CamMap heat, IReadOnlyList<TruthObject> boxes, int sourceWidth, int sourceHeight)
    {
        double total = heat.Data.Sum(v => (double)v);
        var (px, py) = heat.PeakIn(sourceWidth, sourceHeight);
        int cells = heat.Data.Length;
        return boxes.Select(b =>
        {
            double inside = 0;
            int area = 0;
            for (int y = 0; y < heat.Height; y++)
                for (int x = 0; x < heat.Width; x++)
                {
                    var (sx, sy) = Source(x, y, heat, sourceWidth, sourceHeight);
                    if (!b.Contains(sx, sy)) continue;
                    inside += heat[y, x];
                    area++;
                }
            return new Share(b, total > 0 ? inside / total : 0, b.Distance(px, py) <= GradCam.Evaluation.PointingGame.Tolerance(sourceWidth), (double)area / cells);
        }).OrderByDescending(s => s.HoldsPeak).ThenBy(s => s.Object.Distance(px, py)).ThenByDescending(s => s.HeatShare).ToList();
    }

    /// <summary>
    /// The connected hot regions (4-connected cells of at least <see cref="HotFraction"/> of the peak), largest share of
    /// heat first, each with the object that covers it when <paramref name="objects"/> are given.
    /// </summary>
    public static IReadOnlyList<HotRegion> HotRegions(CamMap heat, IReadOnlyList<TruthObject>? objects, int sourceWidth, int sourceHeight)
    {
        float peak = heat.Max;
        double total = heat.Data.Sum(v => (double)v);
        if (!(peak > 0) || total <= 0) return [];
        float threshold = (float)(peak * HotFraction);
        var label = new int[heat.Data.Length];
        var (peakX, peakY) = heat.Peak();
        var regions = new List<HotRegion>();
        for (int start = 0; start < label.Length; start++)
        {
            if (label[start] != 0 || heat.Data[start] < threshold) continue;
            int id = regions.Count + 1, x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1, best = start;
            double sum = 0;
            var stack = new Stack<int>([start]);
            label[start] = id;
            while (stack.Count > 0)
            {
                int i = stack.Pop(), x = i % heat.Width, y = i / heat.Width;
                sum += heat.Data[i];
                if (heat.Data[i] > heat.Data[best]) best = i;
                (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
                foreach (var (nx, ny) in new[] { (x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1) })
                {
                    if (nx < 0 || ny < 0 || nx >= heat.Width || ny >= heat.Height) continue;
                    int n = ny * heat.Width + nx;
                    if (label[n] != 0 || heat.Data[n] < threshold) continue;
                    label[n] = id;
                    stack.Push(n);
                }
            }
            var (bx, by) = Source(best % heat.Width, best / heat.Width, heat, sourceWidth, sourceHeight);
            string? covered = objects?.Where(o => o.Distance(bx, by) <= GradCam.Evaluation.PointingGame.Tolerance(sourceWidth))
                                      .OrderBy(o => o.Distance(bx, by)).Select(o => o.Name).FirstOrDefault();
            double sx = (double)sourceWidth / heat.Width, sy = (double)sourceHeight / heat.Height;
            regions.Add(new HotRegion((int)(x0 * sx), (int)(y0 * sy), (int)Math.Ceiling((x1 - x0 + 1) * sx), (int)Math.Ceiling((y1 - y0 + 1) * sy),
                                      sum / total, label[peakY * heat.Width + peakX] == id, covered));
        }
        return regions.OrderByDescending(r => r.HeatShare).ToList();
    }

    /// <summary>Without ground truth: the box around the hot spot (heat at least half the peak) that holds the peak.</summary>
    public static (int X, int Y, int Width, int Height) HotSpot(CamMap heat, int sourceWidth, int sourceHeight)
    {
        var region = HotRegions(heat, null, sourceWidth, sourceHeight).FirstOrDefault(r => r.HoldsPeak);
        return region is null ? (0, 0, sourceWidth, sourceHeight) : (region.X, region.Y, region.Width, region.Height);
    }

    /// <summary>The source pixel at a cell's centre.</summary>
    private static (int X, int Y) Source(int x, int y, CamMap heat, int sourceWidth, int sourceHeight) =>
        ((int)((x + 0.5) * sourceWidth / heat.Width), (int)((y + 0.5) * sourceHeight / heat.Height));
}
