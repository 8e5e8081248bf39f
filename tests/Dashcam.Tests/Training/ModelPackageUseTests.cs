using System.Diagnostics;
using GradCam.Dashcam.World;
using GradCam.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace GradCam.Dashcam.Tests.Training;

/// <summary>The committed packages work wherever a model is taken: the ML.NET transformer and the gradcam app.</summary>
public class ModelPackageUseTests
{
    public sealed class Row
    {
        [Microsoft.ML.Transforms.Image.ImageType(180, 320)]
        public MLImage Image { get; set; } = null!;
    }

    public sealed class Prediction
    {
        public string PredictedLabel { get; set; } = "";
        public float[] Score { get; set; } = [];
        public int TargetClass { get; set; }
    }

    [Fact]
    public void TheMLNetTransformerLoadsAPackageByPath()
    {
        var sampler = new SceneSampler(31);
        var scenes = Enumerable.Range(0, 12).Select(_ => sampler.Next()).ToList();
        var rows = scenes.Select(s =>
        {
            var (image, _) = SceneRenderer.Render(s.Scene, 320, 180);
            using (image) return new Row { Image = image.ToMLImage() };
        }).ToList();
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.Transforms.GradCam(new GradCamOptions { Model = Models.PathOf("honest"), BatchSize = 4 }).Fit(data);
        var predictions = ml.Data.CreateEnumerable<Prediction>(transformer.Transform(data), reuseRowObject: false).ToList();
        Assert.Equal(2, predictions[0].Score.Length);
        int correct = predictions.Zip(scenes).Count(p => p.First.PredictedLabel == (p.Second.Stop ? "stop" : "go"));
        Assert.True(correct >= 10, $"{correct} of 12 right");
    }

    [Fact]
    public void TheGradcamAppReplaysWithAPackage()
    {
        string dir = Directory.CreateTempSubdirectory("gradcam-package-").FullName;
        try
        {
            string clip = Path.Combine(dir, "clip.avi");
            using (var writer = new GradCam.Video.Sinks.VideoFileSink(clip, 15, new OpenCvSharp.Size(320, 180)))
            {
                for (int i = 0; i < 10; i++)
                {
                    var (image, _) = SceneRenderer.Render(Drive.At(26 + i / 15.0, 7), 320, 180);
                    using (image) writer.WriteImage(image);
                }
                writer.Complete();
            }
            var replay = GradcamProcess.Run("replay", clip, "--model", Models.PathOf("honest"),
                                            "--out", Path.Combine(dir, "out.avi"), "--timeline", Path.Combine(dir, "t.jsonl"));
            string err = replay.Stderr;
            Assert.True(replay.ExitCode == 0, err);
            Assert.Contains("with honest, Grad-CAM at features.12", err);
            var lines = File.ReadAllLines(Path.Combine(dir, "t.jsonl"));
            Assert.Equal(10, lines.Length);
            // The stop sign is near at the end of the drive: the model's top class there is stop.
            using var last = System.Text.Json.JsonDocument.Parse(lines[^1]);
            Assert.Equal("stop", last.RootElement.GetProperty("topK")[0].GetProperty("label").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
