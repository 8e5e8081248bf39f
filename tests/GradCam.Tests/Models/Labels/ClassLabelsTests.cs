using GradCam.Models.Labels;
using Xunit;

namespace GradCam.Tests.Models.Labels;

public class ClassLabelsTests
{
    [Fact]
    public void ImageNetHasTorchvisionOrder()
    {
        var labels = ClassLabels.ImageNet;
        Assert.Equal(1000, labels.Count);
        Assert.StartsWith("tench", labels[0]);
        Assert.StartsWith("hammerhead", labels[4]);   // the article's top prediction
        Assert.StartsWith("tiger shark", labels[3]);
        Assert.StartsWith("toilet tissue", labels[999]);
    }

    [Fact]
    public void LabelFilesAreLinesOrJson()
    {
        string dir = Directory.CreateTempSubdirectory("gradcam-labels-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.txt"), "go\nstop\n\n");
            File.WriteAllText(Path.Combine(dir, "b.json"), "[\"go\", \"stop\"]");
            File.WriteAllText(Path.Combine(dir, "empty.txt"), "\n");
            Assert.Equal(["go", "stop"], ClassLabels.Load(Path.Combine(dir, "a.txt")));
            Assert.Equal(["go", "stop"], ClassLabels.Load(Path.Combine(dir, "b.json")));
            var e = Assert.Throws<InvalidDataException>(() => ClassLabels.Load(Path.Combine(dir, "empty.txt")));
            Assert.Contains("empty.txt", e.Message);
            Assert.Throws<FileNotFoundException>(() => ClassLabels.Load(Path.Combine(dir, "missing.txt")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
