using OpenCvSharp;

namespace GradCam.LiveView.Tests;

/// <summary>Small synthetic images written to a temporary folder.</summary>
internal sealed class TestImages : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("gradcam-cli-").FullName;

    public string Shapes(string name, int width = 320, int height = 240)
    {
        string path = Path.Combine(Dir, name);
        using var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(200, 140, 90));
        Cv2.Rectangle(image, new Rect(width / 8, height / 4, width / 3, height / 2), new Scalar(30, 30, 220), -1);
        Cv2.Circle(image, new Point(width * 3 / 4, height / 2), height / 5, new Scalar(60, 200, 30), -1);
        image.SaveImage(path);
        return path;
    }

    public string Corrupt(string name)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 1, 2, 3]);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Dir, name);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
