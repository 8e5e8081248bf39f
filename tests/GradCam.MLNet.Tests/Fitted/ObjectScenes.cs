using OpenCvSharp;

namespace GradCam.MLNet.Tests.Fitted;

/// <summary>
/// Generated photographs for training ML.NET models: one object per 224x224 image — a red disc, a blue square or a
/// yellow triangle, at a random position and size — on a textured background (noise, stripes and blobs of other
/// colours). The object's box is known, for the pointing game.
/// </summary>
internal sealed class ObjectScenes : IDisposable
{
    public static readonly string[] Classes = ["disc", "square", "triangle"];

    public ObjectScenes(int count, int seed, string? dir = null)
    {
        Dir = dir ?? Directory.CreateTempSubdirectory("gradcam-scenes-").FullName;
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int kind = i % Classes.Length;
            string path = Path.Combine(Dir, $"{seed}-{i:D3}-{Classes[kind]}.png");
            using var image = Draw(random, kind, out var box);
            image.SaveImage(path);
            Rows.Add(new SceneRow { ImagePath = path, Label = Classes[kind], IsDisc = kind == 0 });
            Boxes.Add(box);
        }
    }

    public string Dir { get; }

    public List<SceneRow> Rows { get; } = [];

    public List<Rect> Boxes { get; } = [];

    private static Mat Draw(Random random, int kind, out Rect box)
    {
        var image = new Mat(224, 224, MatType.CV_8UC3);
        // Background: a dull random colour, stripes, soft blobs of grey-green-brown and per-pixel noise.
        var baseColour = new Scalar(60 + random.Next(60), 80 + random.Next(60), 70 + random.Next(50));
        image.SetTo(baseColour);
        for (int s = 0; s < 6; s++)
        {
            int y = random.Next(224);
            Cv2.Line(image, new Point(0, y), new Point(223, (y + random.Next(-60, 60) + 224) % 224), new Scalar(90 + random.Next(60), 100 + random.Next(50), 90 + random.Next(50)), random.Next(2, 7));
        }
        for (int b = 0; b < 5; b++)
            Cv2.Circle(image, new Point(random.Next(224), random.Next(224)), random.Next(8, 30), new Scalar(70 + random.Next(70), 110 + random.Next(40), 100 + random.Next(40)), -1);
        using (var noise = new Mat(224, 224, MatType.CV_8UC3))
        {
            Cv2.Randu(noise, new Scalar(0, 0, 0), new Scalar(40, 40, 40));
            Cv2.Add(image, noise, image);
        }

        int size = random.Next(48, 80);
        int x = random.Next(4, 224 - size - 4), top = random.Next(4, 224 - size - 4);
        box = new Rect(x, top, size, size);
        switch (kind)
        {
            case 0:
                Cv2.Circle(image, new Point(x + size / 2, top + size / 2), size / 2, new Scalar(30, 30, 220), -1);
                break;
            case 1:
                Cv2.Rectangle(image, box, new Scalar(220, 60, 30), -1);
                break;
            default:
                Cv2.FillConvexPoly(image, [new Point(x + size / 2, top), new Point(x, top + size - 1), new Point(x + size - 1, top + size - 1)], new Scalar(30, 210, 230));
                break;
        }
        return image;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public sealed class SceneRow
{
    public string ImagePath { get; set; } = "";
    public string Label { get; set; } = "";
    public bool IsDisc { get; set; }
}
