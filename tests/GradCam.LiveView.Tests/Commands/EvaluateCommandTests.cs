using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

public class EvaluateCommandTests : IDisposable
{
    private readonly TestImages _images = new();

    public void Dispose() => _images.Dispose();

    private string P(string name) => _images.PathOf(name);

    [Fact]
    public void AFolderWithBoxesGivesTablesCurvesAndThePointingGame()
    {
        Directory.CreateDirectory(P("imgs"));
        foreach (var name in new[] { "a.jpg", "b.png", "c.jpg" }) File.Move(_images.Shapes(name), P("imgs/" + name));
        File.WriteAllText(P("boxes.json"), """{"a.jpg": [[0, 0, 320, 240]], "b.png": [[0, 0, 2, 2]]}""");
        var r = GradcamProcess.Run("evaluate", P("imgs"), "--model", "resnet18", "--random-weights", "--method", "gradcam,layercam,eigencam",
                                   "--steps", "4", "--boxes", P("boxes.json"), "--out", P("eval"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("[3/3] c.jpg", r.Stderr);

        var summary = File.ReadAllLines(P("eval/evaluation.csv"));
        Assert.Equal("method,images,deletion_auc,insertion_auc,average_drop_pct,increase_in_confidence_pct,pointing_games,pointing_accuracy_pct,explain_seconds_per_image", summary[0]);
        Assert.Equal(["gradcam", "layercam", "eigencam"], summary.Skip(1).Select(l => l.Split(',')[0]));
        foreach (var line in summary.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal("3", cells[1]);
            Assert.InRange(double.Parse(cells[2], CultureInfo.InvariantCulture), 0, 1);
            Assert.Equal("2", cells[6]); // two images have boxes
            Assert.InRange(double.Parse(cells[7], CultureInfo.InvariantCulture), 50, 50); // the whole image is a hit, a 2-px corner is not
        }
        var perImage = File.ReadAllLines(P("eval/evaluation-images.csv"));
        Assert.Equal(1 + 9, perImage.Length);
        Assert.Contains(perImage, l => l.StartsWith("c.jpg,eigencam,"));

        using var doc = JsonDocument.Parse(File.ReadAllText(P("eval/evaluation.json")));
        var methods = doc.RootElement.GetProperty("methods");
        Assert.Equal(3, methods.GetArrayLength());
        Assert.Equal(5, methods[0].GetProperty("deletionCurve").GetArrayLength());
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(9, rows.GetArrayLength());
        Assert.All(rows.EnumerateArray().Where(x => x.GetProperty("image").GetString() == "c.jpg"),
                   x => Assert.Equal(JsonValueKind.Null, x.GetProperty("pointingHit").ValueKind)); // no box, no game
        Assert.All(rows.EnumerateArray().Where(x => x.GetProperty("image").GetString() == "a.jpg"),
                   x => Assert.True(x.GetProperty("pointingHit").GetBoolean()));
        // The table's AUC is the mean of the per-image AUCs, and each is the trapezoid of its curve.
        double mean = doc.RootElement.GetProperty("rows").EnumerateArray().Where(x => x.GetProperty("method").GetString() == "gradcam")
            .Average(x => x.GetProperty("deletionAuc").GetDouble());
        Assert.Equal(mean, methods[0].GetProperty("deletionAuc").GetDouble(), 9);

        using var plot = Cv2.ImRead(P("eval/curves.png"));
        Assert.False(plot.Empty());
        Assert.True(plot.Width >= 1000);
        Assert.DoesNotContain(Directory.GetFiles(P("eval")), f => f.Contains(".tmp"));
    }

    [Fact]
    public void AVideoIsSampledEveryNthFrame()
    {
        string clip = TestVideos.Write(P("clip.avi"), 10);
        var r = GradcamProcess.Run("evaluate", clip, "--model", "resnet18", "--random-weights", "--method", "hirescam", "--steps", "2",
                                   "--every", "3", "--out", P("ev"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var keys = File.ReadAllLines(P("ev/evaluation-images.csv")).Skip(1).Select(l => l.Split(',')[0]);
        Assert.Equal(["0", "3", "6", "9"], keys);
    }

    [Fact]
    public void CtrlCKeepsTheImagesDoneSoFarAsACompleteTable()
    {
        string clip = TestVideos.Write(P("long.avi"), 200);
        using var p = GradcamProcess.Start("evaluate", clip, "--model", "resnet18", "--random-weights",
                                           "--method", "gradcam,layercam", "--steps", "4", "--out", P("cut"));
        p.WaitForStderr("[3/200]", TimeSpan.FromMinutes(2));
        Assert.False(p.HasExited, "the evaluation finished before it could be interrupted");
        Assert.True(p.Interrupt(TimeSpan.FromMinutes(1)));
        Assert.Equal(130, p.ExitCode);
        Assert.Contains("evaluation.csv", p.Stdout);

        var summary = File.ReadAllLines(P("cut/evaluation.csv"));
        Assert.Equal(3, summary.Length);
        int images = int.Parse(summary[1].Split(',')[1]);
        Assert.InRange(images, 3, 199);
        Assert.Equal(images, int.Parse(summary[2].Split(',')[1]));                    // both methods, same images
        Assert.Equal(1 + 2 * images, File.ReadAllLines(P("cut/evaluation-images.csv")).Length);
        using var doc = JsonDocument.Parse(File.ReadAllText(P("cut/evaluation.json")));
        Assert.Equal(images, doc.RootElement.GetProperty("images").GetInt32());
        Assert.DoesNotContain(Directory.GetFiles(P("cut")), f => f.Contains(".tmp"));
    }

    [Fact]
    public void TemporalGivesEachMethodsChangeBetweenFramesPerSmoothingSettingBesideTheScenes()
    {
        const int frames = 12;
        string clip = TestVideos.Write(P("moving.avi"), frames);
        var r = GradcamProcess.Run("evaluate", clip, "--model", "resnet18", "--random-weights", "--method", "gradcam,eigencam",
                                   "--temporal", "--ema", "0,0.6", "--out", P("temporal"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("measuring the temporal stability of gradcam, eigencam", r.Stderr);
        Assert.Contains("1 − r(h_t, h_t−1)", r.Stdout); // the formula under the table

        var summary = File.ReadAllLines(P("temporal/temporal.csv"));
        Assert.Equal("method,ema,pairs,map_change,heat_change,scene_change,map_over_scene,explain_seconds_per_frame", summary[0]);
        Assert.Equal(["gradcam,0", "gradcam,0.6", "eigencam,0", "eigencam,0.6"], summary.Skip(1).Select(l => string.Join(',', l.Split(',')[..2])));
        var cells = summary.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(cells, c => Assert.Equal((frames - 1).ToString(CultureInfo.InvariantCulture), c[2]));
        Assert.All(cells, c => Assert.InRange(double.Parse(c[3], CultureInfo.InvariantCulture), 0, 2));
        Assert.Single(cells.Select(c => c[5]).Distinct()); // one scene, whatever the method

        // The scene's change, recomputed here from the decoded frames: luminance averaged on the 7x7 map grid, 1 − Pearson r.
        var pairs = File.ReadAllLines(P("temporal/temporal-frames.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2 * 2 * (frames - 1), pairs.Count);
        var grids = DecodedGrids(clip, 7);
        foreach (var pair in pairs.Where(p => p[1] == "gradcam" && p[2] == "0"))
        {
            int i = int.Parse(pair[0], CultureInfo.InvariantCulture);
            Assert.Equal(1 - Pearson(grids[i], grids[i - 1]), double.Parse(pair[5], CultureInfo.InvariantCulture), 4);
        }
        Assert.True(double.Parse(cells[0][5], CultureInfo.InvariantCulture) > 0, "the square moves: the scene changes");

        using var doc = JsonDocument.Parse(File.ReadAllText(P("temporal/temporal.json")));
        Assert.Equal(frames, doc.RootElement.GetProperty("frames").GetInt32());
        Assert.Equal("Running", doc.RootElement.GetProperty("normalization").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("methods").GetArrayLength());
        using var plot = Cv2.ImRead(P("temporal/temporal.png"));
        Assert.True(plot.Width >= 1000);
        Assert.False(File.Exists(P("temporal/evaluation.csv"))); // faithfulness is another run
    }

    [Fact]
    public void TemporalOnAStillSceneMeasuresNoChangeAndNoRatio()
    {
        Directory.CreateDirectory(P("still"));
        string image = _images.Shapes("a.png");
        for (int i = 0; i < 4; i++) File.Copy(image, P($"still/{i}.png"));
        var r = GradcamProcess.Run("evaluate", P("still"), "--model", "resnet18", "--random-weights", "--method", "gradcam", "--temporal", "--out", P("t"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = File.ReadAllLines(P("t/temporal.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["0", "0.5", "0.8"], rows.Select(c => c[1])); // the default settings
        Assert.All(rows, c =>
        {
            Assert.Equal("3", c[2]);
            Assert.Equal("0", c[3]); // the same image explains the same
            Assert.Equal("0", c[5]);
            Assert.Equal("", c[6]);  // a still scene has no ratio
        });
        Assert.Contains("still", r.Stdout);
    }

    private static List<float[]> DecodedGrids(string clip, int size)
    {
        var grids = new List<float[]>();
        using var capture = new VideoCapture(clip);
        using var frame = new Mat();
        while (capture.Read(frame) && !frame.Empty())
        {
            using var grey = frame.CvtColor(ColorConversionCodes.BGR2GRAY);
            using var unit = new Mat();
            grey.ConvertTo(unit, MatType.CV_32FC1, 1 / 255.0);
            using var cells = unit.Resize(new Size(size, size), 0, 0, InterpolationFlags.Area);
            cells.GetArray(out float[] values);
            grids.Add(values);
        }
        return grids;
    }

    private static double Pearson(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double ab = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return ab / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(x => (x - mb) * (x - mb)));
    }

    [Fact]
    public void BadInputsAreOneLineErrors()
    {
        var r = GradcamProcess.Run("evaluate", P("missing"), "--model", "resnet18", "--random-weights");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"input '{P("missing")}' not found", r.Stderr);

        Directory.CreateDirectory(P("imgs"));
        File.Move(_images.Shapes("a.jpg"), P("imgs/a.jpg"));
        File.WriteAllText(P("boxes.json"), """{"a.jpg": [[1, 2, 3]]}""");
        r = GradcamProcess.Run("evaluate", P("imgs"), "--model", "resnet18", "--random-weights", "--boxes", P("boxes.json"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("a box of 'a.jpg' is not [x, y, width, height]", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));

        r = GradcamProcess.Run("evaluate", P("imgs"), "--model", "resnet18", "--random-weights", "--method", "gradcam,nope");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("unknown method 'nope'", r.Stderr);

        r = GradcamProcess.Run("evaluate", P("imgs"), "--model", "resnet18", "--random-weights", "--temporal", "--ema", "0,1.5");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--ema takes comma-separated numbers from 0 to 0.95", r.Stderr);

        r = GradcamProcess.Run("evaluate", P("imgs"), "--model", "resnet18", "--random-weights", "--temporal", "--boxes", P("boxes.json"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--boxes is for the pointing game, which --temporal does not play", r.Stderr);

        r = GradcamProcess.Run("evaluate", P("imgs"), "--model", "resnet18", "--random-weights", "--ema", "0.5");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--ema and --normalize choose the smoothing settings --temporal compares; add --temporal", r.Stderr);
    }
}
