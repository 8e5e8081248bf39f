using GradCam.Dashcam.Investigation;
using System.Diagnostics;
using GradCam.Video.Investigation;
using GradCam.Dashcam.World;
using OpenCvSharp;
using Xunit;

namespace GradCam.Dashcam.Tests.Investigation;

/// <summary>The story end to end: the shortcut model brakes for the red billboard, the honest one only for the stop sign.</summary>
public class InvestigatorTests : IClassFixture<DemoDriveFixture>
{
    private readonly DemoDriveFixture _drive;

    public InvestigatorTests(DemoDriveFixture drive) => _drive = drive;

    private async Task<Investigator.Result> Investigate(string model, string? compare, string outName, InvestigationStory? story = null)
    {
        using var main = Models.Load(model);
        using var other = compare is null ? null : Models.Load(compare);
        var options = new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, outName), _drive.Truth) { Story = story ?? DashcamStory.Instance };
        return await Investigator.RunAsync(options, main, other, TextWriter.Null);
    }

    [Fact]
    public async Task TheGradcamToolGivesTheLibrarysInvestigation()
    {
        // gradcam investigate tells the library's neutral story; the dashcam passes its own.
        var library = await Investigate("shortcut", "honest", "library", InvestigationStory.Neutral);
        Assert.Contains("<h1>What made the model predict 'stop'?</h1>", System.Net.WebUtility.HtmlDecode(File.ReadAllText(library.ReportPath)));
        Assert.Contains("the honest model did not (P(stop)", library.Verdict);
        string outDir = Path.Combine(_drive.Dir, "tool");
        var tool = GradcamProcess.Run("investigate", _drive.Clip, "--model", Models.PathOf("shortcut"), "--compare", Models.PathOf("honest"),
                                      "--truth", _drive.Truth, "--event", "stop", "--out", outDir);
        Assert.True(tool.ExitCode == 0, tool.Stderr);
        Assert.Contains(library.Verdict, tool.Stdout);
        foreach (var file in new[] { "report.html", "annotated.mp4", "timeline.jsonl" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Equal(File.ReadAllLines(library.TimelinePath).Length, File.ReadAllLines(Path.Combine(outDir, "timeline.jsonl")).Length);
    }

    [Fact]
    public async Task WithoutTruthTheHotSpotIsGivenAndTheThresholdsDecideWhatIsAnEvent()
    {
        using var model = Models.Load("shortcut");
        var loose = await Investigator.RunAsync(new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "no-truth"), null, "stop") { Thresholds = new(0.5, 0.3, 5) }, model, null, TextWriter.Null);
        Assert.NotEmpty(loose.Findings);
        Assert.All(loose.Findings, f => { Assert.Null(f.Shares); Assert.NotNull(f.HotSpot); Assert.True(f.Event.Probability >= 0.5); });
        Assert.Contains("no ground truth given", loose.Verdict);
        Assert.Contains("Hot spot", File.ReadAllText(loose.ReportPath));

        // No onset is abrupt after a calm longer than the drive.
        var strict = await Investigator.RunAsync(new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "strict"), null, "stop") { Thresholds = new(0.5, 0.3, 1000) }, model, null, TextWriter.Null);
        Assert.Empty(strict.Findings);
        Assert.StartsWith("no abrupt 'stop' event", strict.Verdict);
        var go = await Investigator.RunAsync(new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "go"), null, "go") { Thresholds = new(0.5, 0.3, 5) }, model, null, TextWriter.Null);
        Assert.All(go.Findings, f => Assert.Equal(1 - loose.Series.First(s => s.Frame == f.Event.Frame).P, f.Event.Probability, 4)); // --event go: P(go)
        Assert.Equal("EventThresholds.Off", Assert.Throws<GradCam.Configuration.SettingException>(() => new InvestigationOptions(_drive.Clip, "x") { Thresholds = new(0.4, 0.6) }.Validate()).Setting);
    }

    [Fact]
    public async Task TheShortcutModelsBillboardStopIsFoundAndExplained()
    {
        var r = await Investigate("shortcut", "honest", "shortcut");
        var billboard = r.Findings.FirstOrDefault(f => f.Shares is { Count: > 0 } s && s[0].Object.Name == "red billboard" && s[0].HoldsPeak);
        Assert.True(billboard is not null, $"no event attributed to the red billboard; verdict: {r.Verdict}");
        Assert.False(billboard!.TruthEvent);                    // nothing to stop for
        // The heat concentrates on the billboard: several times its share of the frame's area.
        var box = billboard.Shares![0].Object;
        double areaShare = (double)box.Width * box.Height / (r.Width * r.Height);
        Assert.True(billboard.Shares[0].HeatShare > 3 * areaShare, $"heat share {billboard.Shares[0].HeatShare:P1} vs area {areaShare:P1}");
        Assert.True(billboard.Shares[0].Concentration > 3, $"concentration {billboard.Shares[0].Concentration:0.0}");
        // The verdict carries the number with the meaning, and names the hot regions no object covers.
        Assert.Matches(@"the model attended to the red billboard \(its box holds [\d.]+× its area's share of the heat, [\d.]+ % in [\d.]+ % of the frame, and the peak\)", r.Verdict);
        foreach (var region in billboard.Unattributed)
            Assert.Contains($"also hot: a region at {region.Where(r.Width, r.Height)} (x={region.X}..", r.Verdict);
        Assert.True(billboard.CompareProbability < 0.6);      // the honest model kept going
        Assert.Contains("red billboard", r.Verdict);
        Assert.Contains("the honest model kept going", r.Verdict);
        Assert.Contains("<h1>Why did the car stop?</h1>", File.ReadAllText(r.ReportPath));
        Assert.Equal(450, r.Series.Count);
        Assert.Equal(450, File.ReadAllLines(r.TimelinePath).Length);

        // How much each model's explanations change from frame to frame, per smoothing setting; smoothing calms them.
        Assert.Equal(["shortcut/0", "shortcut/0.5", "shortcut/0.8", "honest/0", "honest/0.5", "honest/0.8"],
                     r.Stability!.Select(s => FormattableString.Invariant($"{s.Model}/{s.Measured.Ema}")));
        Assert.All(r.Stability!, s => Assert.Equal(449, s.Measured.Stability.Pairs));
        foreach (var model in new[] { "shortcut", "honest" })
        {
            var rows = r.Stability!.Where(s => s.Model == model).Select(s => s.Measured.Stability).ToList();
            Assert.True(rows[2].MapChange < rows[0].MapChange, $"{model}: EMA 0.8 {rows[2].MapChange} vs none {rows[0].MapChange}");
            Assert.True(rows[0].SceneChange > 0);
        }
        string html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(r.ReportPath));
        Assert.Contains("<h2 id=\"stability\">Temporal stability of the explanations</h2>", html);
        Assert.Contains("1 − r(h_t, h_t−1)", html);
    }

    [Fact]
    public async Task TheShortcutModelExportedToOnnxByPyTorchGivesTheSameInvestigation()
    {
        // The committed package rebuilt in PyTorch and exported with torch.onnx.export, as a user's model would be.
        string onnx = Path.Combine(_drive.Dir, "shortcut.onnx");
        PythonScript.RunIn(null, Path.Combine(AppContext.BaseDirectory, "Fixtures", "export_package_to_onnx.py"), Models.PathOf("shortcut"), onnx);

        var package = await Investigate("shortcut", null, "package");
        using var imported = GradCam.Onnx.OnnxModel.Load(onnx, new GradCam.Onnx.OnnxImportOptions { Labels = ["go", "stop"] });
        var options = new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "onnx"), _drive.Truth);
        var fromOnnx = await Investigator.RunAsync(options, imported, null, TextWriter.Null);

        Assert.Equal(package.Series.Count, fromOnnx.Series.Count);
        for (int i = 0; i < package.Series.Count; i++) Assert.Equal(package.Series[i].P, fromOnnx.Series[i].P, 4);
        Assert.Equal(package.Findings.Select(f => f.Event.Frame), fromOnnx.Findings.Select(f => f.Event.Frame));
        Assert.Equal(package.Findings.Select(f => f.Shares![0].Object.Name), fromOnnx.Findings.Select(f => f.Shares![0].Object.Name));
        Assert.Contains("red billboard", fromOnnx.Verdict);
    }

    [Fact]
    public async Task AModelTrainedTheMLNetWayIsInvestigatedFromItsModelFile()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var (model, schema, accuracy) = GradCam.Dashcam.Training.MLNetTrainer.Train(ml, scenes: 120, seed: 3, TextWriter.Null);
        Assert.InRange(accuracy, 0.6, 1.0);   // ResNet18 features + a linear head learn stop/go from a few scenes
        string file = Path.Combine(_drive.Dir, "stopgo.zip");
        ml.Model.Save(model, schema, file);

        using var loaded = GradCam.MLNet.FittedModelFile.Load(file);
        Assert.Equal(["go", "stop"], loaded.Labels);
        var options = new InvestigationOptions(_drive.Clip, Path.Combine(_drive.Dir, "mlnet"), _drive.Truth);
        var r = await Investigator.RunAsync(options, loaded, null, TextWriter.Null);
        Assert.Equal(450, r.Series.Count);
        Assert.True(File.Exists(r.ReportPath));
        Assert.Contains(r.Series, p => p.P > 0.5);  // it does call some frames "stop"
    }

    [Fact]
    public async Task TheHonestModelStopsOnlyForTheStopSign()
    {
        var r = await Investigate("honest", null, "honest");
        Assert.NotEmpty(r.Findings);
        Assert.All(r.Findings, f => Assert.NotEqual("red billboard", f.Shares![0].Object.Name));
        var stop = r.Findings[^1];
        Assert.Equal("stop sign", stop.Shares![0].Object.Name);
        // No abrupt stop while the billboard is the closest thing in view.
        var truth = TruthFile.Load(_drive.Truth);
        int billboardFrame = truth.First(t => t.Objects.Any(o => o.Name == "red billboard" && o.Width > 40)).Frame;
        Assert.True(r.Series[billboardFrame].P < 0.5, $"honest P(stop) {r.Series[billboardFrame].P:0.00} at the billboard");
    }

    [Fact]
    public async Task TheReportIsHtmlThatChromiumRendersWithItsImages()
    {
        var r = await Investigate("shortcut", "honest", "report");
        string html = File.ReadAllText(r.ReportPath);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg id=\"plot\"", html);
        var images = System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(images);
        Assert.All(images, src => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(r.ReportPath)!, src)), src));

        Assert.True(File.Exists("/usr/bin/chromium"), "chromium is missing: ./build.sh test installs Debian's chromium");
        string shot = Path.Combine(_drive.Dir, "report.png");
        ProcessRunner.Run("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                                                "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(_drive.Dir, "chrome")}",
                                                "--window-size=1200,1400", $"--screenshot={shot}", new Uri(r.ReportPath).AbsoluteUri],
                          new ProcessOptions { TimeLimit = TimeSpan.FromMinutes(2) });
        using var page = Cv2.ImRead(shot);
        Assert.False(page.Empty(), "chromium wrote no screenshot");
        // The frames (sky, grass, heat) are the only large areas of strong colour on the page: they were drawn.
        using var hsv = new Mat();
        Cv2.CvtColor(page, hsv, ColorConversionCodes.BGR2HSV);
        using var saturated = new Mat();
        Cv2.InRange(hsv, new Scalar(0, 90, 60), new Scalar(180, 255, 255), saturated);
        Assert.True(Cv2.CountNonZero(saturated) > 50_000, $"only {Cv2.CountNonZero(saturated)} strongly coloured pixels: the images did not render");
    }
}
