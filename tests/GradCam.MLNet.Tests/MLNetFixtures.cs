using GradCam.Models;
using Microsoft.ML.Data;
using OpenCvSharp;

namespace GradCam.MLNet.Tests;

/// <summary>Small PNG scenes on disk, and the tiny PyTorch-fixture classifier (32x32 input) to explain them.</summary>
internal sealed class SceneFolder : IDisposable
{
    public SceneFolder(int count, int size = 32, int corruptIndex = -1)
    {
        for (int i = 0; i < count; i++)
        {
            string name = $"scene{i:D2}.png";
            string path = Path.Combine(Dir, name);
            if (i == corruptIndex)
            {
                File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
            }
            else
            {
                using var image = Draw(i, size);
                image.SaveImage(path);
            }
            Files.Add(name);
        }
    }

    public string Dir { get; } = Directory.CreateTempSubdirectory("gradcam-mlnet-").FullName;

    public List<string> Files { get; } = [];

    public IEnumerable<ImagePath> Rows => Files.Select((f, i) => new ImagePath { Path = f, Label = i % 2, Target = i % 5 });

    /// <summary>A deterministic scene: background, a coloured square that moves with i, a circle.</summary>
    public static Mat Draw(int i, int size)
    {
        var image = new Mat(size, size, MatType.CV_8UC3, new Scalar(40 + 20 * (i % 5), 90, 160));
        int s = size / 4;
        Cv2.Rectangle(image, new Rect((i * 3) % (size - s), (i * 5) % (size - s), s, s), new Scalar(20, 40 + 30 * (i % 4), 230), -1);
        Cv2.Circle(image, new Point(size - s, size - s), s / 2 + i % 3, new Scalar(30, 220, 60), -1);
        return image;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

public sealed class ImagePath
{
    public string Path { get; set; } = "";
    public int Label { get; set; }
    public int Target { get; set; }
}

public sealed class InMemoryImage
{
    [Microsoft.ML.Transforms.Image.ImageType(32, 32)]
    public MLImage Image { get; set; } = null!;
}

public sealed class TinyPrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
    [VectorType(32, 32)]
    public float[] Heatmap { get; set; } = [];
    public int TargetClass { get; set; }
    public string GradCamError { get; set; } = "";
}
