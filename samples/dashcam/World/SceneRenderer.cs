using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>
/// Draws a dashcam frame: sky, grass, a two-lane road in perspective with lane markings that move with the car,
/// roadside posts, and the scene's objects from far to near, then lighting and sensor noise. Also returns each object's
/// box and whether it is a reason to stop (<see cref="StopRule"/>). Deterministic for a given scene.
/// </summary>
public static class SceneRenderer
{
    /// <summary>Lane width, metres. Our lane is centred on x = 0, the oncoming lane on x = -3.5.</summary>
    public const double LaneM = 3.5;

    /// <summary>Right edge of the road (x), metres.</summary>
    public const double RoadRight = LaneM / 2;

    /// <summary>Left edge of the road (x), metres.</summary>
    public const double RoadLeft = -1.5 * LaneM;

    /// <summary>Renders a scene into a new BGR image and its ground truth.</summary>
    public static (Mat Image, FrameTruth Truth) Render(Scene scene, int width, int height)
    {
        var cam = new Camera(width, height);
        var img = new Mat(height, width, MatType.CV_8UC3);
        DrawBackground(img, cam, scene);
        var boxes = new List<BoxTruth>();
        foreach (var o in scene.Objects.Where(o => o.Z > 2).OrderByDescending(o => o.Z))
        {
            var box = Draw(img, cam, o);
            if (box is { Width: > 1, Height: > 1 } b)
                boxes.Add(new BoxTruth(o.Name, o.Kind, b.X, b.Y, b.Width, b.Height, StopRule.IsReason(o)));
        }
        Finish(img, scene);
        boxes.Reverse(); // front to back
        return (img, new FrameTruth(StopRule.IsStop(scene), boxes));
    }

    private static void DrawBackground(Mat img, Camera cam, Scene scene)
    {
        int horizon = (int)cam.Horizon;
        for (int y = 0; y < horizon; y++)
        {
            double t = y / (double)horizon;
            img.Row(y).SetTo(Mul(new Scalar(235 - 60 * t, 200 - 40 * t, 150 - 30 * t), scene.SkyTint));
        }
        img.RowRange(horizon, cam.Height).SetTo(scene.Grass);
        // Distant hills break the horizon line.
        for (int i = 0; i < 6; i++)
        {
            int cx = (int)((i * 0.21 + scene.HillPhase) % 1.0 * cam.Width);
            Cv2.Ellipse(img, new Point(cx, horizon), new Size(cam.Width / 6, cam.Height / 14), 0, 180, 360, Mul(scene.Grass, 0.8), -1);
        }
        // The road: a trapezoid from the horizon to the bottom of the frame.
        const double near = 2.5, far = 400;
        var road = new[]
        {
            cam.Project(RoadLeft, near), cam.Project(RoadRight + 0.3, near), cam.Project(RoadRight + 0.3, far), cam.Project(RoadLeft, far),
        }.Select(p => new Point(p.X, p.Y)).ToArray();
        Cv2.FillConvexPoly(img, road, new Scalar(85, 85, 88), LineTypes.AntiAlias);
        // Edge lines and the dashed centre line, dashes 3 m long every 9 m, moving with the distance travelled.
        Line(img, cam, RoadRight, near, far, Scalar.White, 0.12);
        Line(img, cam, RoadLeft + 0.2, near, far, Scalar.White, 0.12);
        for (double z = near + 9 - scene.Travelled % 9; z < 120; z += 9)
            Line(img, cam, -LaneM / 2, z, z + 3, new Scalar(60, 210, 240), 0.15);
        // Roadside posts every 25 m, also moving.
        for (double z = 4 + 25 - scene.Travelled % 25; z < 150; z += 25)
        {
            var b = cam.Project(RoadRight + 1.2, z);
            var t = cam.Project(RoadRight + 1.2, z, 1.0);
            Cv2.Line(img, new Point(b.X, b.Y), new Point(t.X, t.Y), new Scalar(230, 230, 230), Math.Max(1, (int)(cam.Scale(z) * 0.12)));
        }
    }

    /// <summary>A painted line on the road: a quad that narrows with distance, as paint does.</summary>
    private static void Line(Mat img, Camera cam, double x, double z0, double z1, Scalar color, double widthM)
    {
        var quad = new[] { cam.Project(x - widthM / 2, z0), cam.Project(x + widthM / 2, z0), cam.Project(x + widthM / 2, z1), cam.Project(x - widthM / 2, z1) }
            .Select(p => new Point(p.X, p.Y)).ToArray();
        Cv2.FillConvexPoly(img, quad, color, LineTypes.AntiAlias);
    }

    private static Rect? Draw(Mat img, Camera cam, SceneObject o)
    {
        double s = cam.Scale(o.Z);
        Rect Box(double w, double h, double up = 0)
        {
            var p = cam.Project(o.X, o.Z, up);
            return new Rect((int)(p.X - w * s / 2), (int)(p.Y - h * s), Math.Max(1, (int)(w * s)), Math.Max(1, (int)(h * s)));
        }
        Point P(double dx, double up) { var p = cam.Project(o.X + dx, o.Z, up); return new Point(p.X, p.Y); }
        int T(double m) => Math.Max(1, (int)(m * s));

        Rect box;
        switch (o.Kind)
        {
            case ObjectKind.TrafficLight:
            {
                Cv2.Line(img, P(0, 0), P(0, 3.4), new Scalar(40, 40, 40), T(0.12));
                box = Box(0.45, 1.2, 3.3);
                Cv2.Rectangle(img, box, new Scalar(20, 25, 25), -1);
                var lamps = new[] { (LightState.Red, new Scalar(30, 30, 255)), (LightState.Amber, new Scalar(0, 170, 255)), (LightState.Green, new Scalar(90, 230, 40)) };
                for (int i = 0; i < 3; i++)
                {
                    var (state, color) = lamps[i];
                    var c = new Point(box.X + box.Width / 2, box.Y + box.Height * (2 * i + 1) / 6);
                    Cv2.Circle(img, c, Math.Max(1, box.Width / 3), state == o.Light ? color : Mul(color, 0.25), -1, LineTypes.AntiAlias);
                }
                box = box.Union(Box(0.45, 4.5));
                break;
            }
            case ObjectKind.StopSign:
            {
                Cv2.Line(img, P(0, 0), P(0, 1.8), new Scalar(150, 150, 150), T(0.07));
                box = Box(0.9, 0.9, 1.7);
                var center = new Point(box.X + box.Width / 2, box.Y + box.Height / 2);
                var octagon = Enumerable.Range(0, 8).Select(i => new Point(
                    center.X + box.Width / 2.0 * Math.Cos(Math.PI / 8 + i * Math.PI / 4),
                    center.Y + box.Height / 2.0 * Math.Sin(Math.PI / 8 + i * Math.PI / 4))).ToArray();
                Cv2.FillConvexPoly(img, octagon, new Scalar(30, 20, 200), LineTypes.AntiAlias);
                Cv2.Rectangle(img, new Rect(box.X + box.Width / 5, center.Y - box.Height / 10, box.Width * 3 / 5, Math.Max(1, box.Height / 5)), Scalar.White, -1);
                box = box.Union(Box(0.9, 1.8));
                break;
            }
            case ObjectKind.Pedestrian:
            {
                var shirt = o.Color;
                Cv2.Line(img, P(-0.12, 0), P(0, 0.9), new Scalar(60, 50, 40), T(0.14));
                Cv2.Line(img, P(0.12, 0), P(0, 0.9), new Scalar(60, 50, 40), T(0.14));
                Cv2.Line(img, P(0, 0.9), P(0, 1.45), shirt, T(0.35));
                Cv2.Circle(img, P(0, 1.6), T(0.13), new Scalar(120, 150, 200), -1, LineTypes.AntiAlias);
                box = Box(0.5, 1.75);
                break;
            }
            case ObjectKind.CarAhead:
            case ObjectKind.OncomingCar:
            {
                box = Box(1.8, 1.45);
                Cv2.Rectangle(img, box, o.Color, -1);
                var window = new Rect(box.X + box.Width / 8, box.Y + box.Height / 10, box.Width * 3 / 4, box.Height / 3);
                Cv2.Rectangle(img, window, new Scalar(70, 50, 40), -1);
                int lampW = Math.Max(1, box.Width / 6), lampH = Math.Max(1, box.Height / 8), lampY = box.Y + box.Height * 5 / 8;
                Scalar lamp = o.Kind == ObjectKind.OncomingCar ? new Scalar(200, 250, 255)
                    : o.Braking ? new Scalar(40, 40, 255) : new Scalar(30, 30, 110);
                Cv2.Rectangle(img, new Rect(box.X + box.Width / 16, lampY, lampW, lampH), lamp, -1);
                Cv2.Rectangle(img, new Rect(box.X + box.Width * 15 / 16 - lampW, lampY, lampW, lampH), lamp, -1);
                Cv2.Rectangle(img, new Rect(box.X, box.Y + box.Height * 7 / 8, box.Width, Math.Max(1, box.Height / 8)), new Scalar(25, 25, 25), -1);
                break;
            }
            case ObjectKind.Billboard:
            {
                Cv2.Line(img, P(-1.4, 0), P(-1.4, 2.6), new Scalar(90, 90, 90), T(0.15));
                Cv2.Line(img, P(1.4, 0), P(1.4, 2.6), new Scalar(90, 90, 90), T(0.15));
                box = Box(4.0, 2.2, 2.5);
                Cv2.Rectangle(img, box, o.Color, -1);
                Cv2.Rectangle(img, new Rect(box.X + box.Width / 10, box.Y + box.Height / 3, box.Width * 4 / 5, Math.Max(1, box.Height / 6)), new Scalar(o.Color.Val0 * 0.55 + 90, o.Color.Val1 * 0.55 + 90, o.Color.Val2 * 0.55 + 90), -1);
                box = box.Union(Box(4.0, 4.7));
                break;
            }
            default:
            {
                box = Box(0.8, 0.8);
                var c = new Point(box.X + box.Width / 2, box.Y + box.Height / 2);
                Cv2.Circle(img, c, box.Width / 2, new Scalar(60, 110, 150), -1, LineTypes.AntiAlias);
                for (int i = 0; i < 4; i++)
                {
                    double a = o.Spin + i * Math.PI / 4;
                    var d = new Point(box.Width / 2 * Math.Cos(a), box.Width / 2 * Math.Sin(a));
                    Cv2.Line(img, c - d, c + d, new Scalar(40, 80, 110), Math.Max(1, box.Width / 12));
                }
                break;
            }
        }
        return Clip(box, img.Width, img.Height);
    }

    private static Scalar Mul(Scalar c, double f) => new(c.Val0 * f, c.Val1 * f, c.Val2 * f, c.Val3);

    private static Rect? Clip(Rect r, int width, int height)
    {
        int x0 = Math.Clamp(r.X, 0, width), y0 = Math.Clamp(r.Y, 0, height);
        int x1 = Math.Clamp(r.X + r.Width, 0, width), y1 = Math.Clamp(r.Y + r.Height, 0, height);
        return x1 > x0 && y1 > y0 ? new Rect(x0, y0, x1 - x0, y1 - y0) : null;
    }

    private static void Finish(Mat img, Scene scene)
    {
        img.ConvertTo(img, -1, scene.Brightness, 0);
        if (scene.Noise <= 0) return;
        using var noise = new Mat(img.Size(), MatType.CV_8UC3);
        var rng = new RNG((ulong)scene.NoiseSeed);
        rng.Fill(noise, DistributionType.Normal, new Scalar(128, 128, 128), new Scalar(scene.Noise, scene.Noise, scene.Noise));
        Cv2.AddWeighted(img, 1, noise, 1, -128, img);
    }
}
