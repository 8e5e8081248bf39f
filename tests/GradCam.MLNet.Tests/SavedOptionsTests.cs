using System.Text;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;
using Xunit;

namespace GradCam.MLNet.Tests;

/// <summary>A saved transformer's options are the options object itself, and files in the older flat shape still read.</summary>
public class SavedOptionsTests
{
    [Fact]
    public void EveryOptionSurvivesARoundTrip()
    {
        var options = new GradCamOptions
        {
            InputColumnName = "Pixels",
            ScoreColumnName = null,
            Target = "output:steer[2]",
            TargetColumnName = "Class",
            BatchSize = 5,
            VectorInterleaved = true,
            VectorHeight = 32,
            Model = new ModelSpec("resnet18") { Device = "cpu", Labels = ["a", "b"], RandomWeights = true },
            Explainer = new ExplainerOptions
            {
                Method = CamMethod.XGradCam, Layers = ["layer3", "layer4"], Fusion = LayerFusion.Max, FlipAveraging = true,
                SmoothSamples = 3, SmoothNoise = 0.2, Seed = 7, ScoreCamBatchSize = 2,
            },
        };
        using var stream = new MemoryStream();
        SavedOptions.Write(stream, options);
        stream.Position = 0;
        var read = SavedOptions.Read(stream, "test");

        Assert.Equal(("Pixels", (string?)null, "output:steer[2]", "Class", 5, true, (int?)32),
                     (read.InputColumnName, read.ScoreColumnName, read.Target?.ToString(), read.TargetColumnName, read.BatchSize, read.VectorInterleaved, read.VectorHeight));
        Assert.Equal("cpu", read.Model.Device);
        Assert.Equal(["a", "b"], read.Model.Labels);
        var e = read.Explainer;
        Assert.Equal((CamMethod.XGradCam, LayerFusion.Max, true, 3, 0.2, 7, 2), (e.Method, e.Fusion, e.FlipAveraging, e.SmoothSamples, e.SmoothNoise, e.Seed, e.ScoreCamBatchSize));
        Assert.Equal(["layer3", "layer4"], e.Layers);
    }

    [Fact]
    public void FilesInTheOlderFlatShapeKeepTheirMethodLayersAndDevice()
    {
        const string flat = """
            { "inputColumnName": "Image", "heatmapColumnName": "Heat", "targetLayer": "features.28", "device": "cpu",
              "labels": ["x", "y"], "method": "LayerCam", "targetLayers": ["features.6", "features.10"], "layerFusion": "Max",
              "flipAveraging": true, "smoothSamples": 0, "seed": 99, "batchSize": 3 }
            """;
        var read = SavedOptions.Read(new MemoryStream(Encoding.UTF8.GetBytes(flat)), "old.zip");
        Assert.Equal("Heat", read.HeatmapColumnName);
        Assert.Equal(3, read.BatchSize);
        Assert.Equal(CamMethod.LayerCam, read.Explainer.Method);
        Assert.Equal(["features.6", "features.10"], read.Explainer.Layers);
        Assert.Equal(LayerFusion.Max, read.Explainer.Fusion);
        Assert.True(read.Explainer.FlipAveraging);
        Assert.Equal(99, read.Explainer.Seed);
        Assert.Equal("cpu", read.Model.Device);
        Assert.Equal(["x", "y"], read.Model.Labels);

        var single = SavedOptions.Read(new MemoryStream(Encoding.UTF8.GetBytes("""{ "targetLayer": "layer4", "method": "EigenCam" }""")), "old.zip");
        Assert.Equal(["layer4"], single.Explainer.Layers);
        Assert.Equal(CamMethod.EigenCam, single.Explainer.Method);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("top")]
    [InlineData("stop sign")]
    [InlineData("class:42")]
    [InlineData("-output:brake[0]")]
    [InlineData("box:1+iou")]
    [InlineData("box:10.5,20,30,40.25")]
    [InlineData("box:all")]
    public void TargetsAreSavedAsTheirSpelling(string spelling)
    {
        var options = new GradCamOptions { Target = spelling };
        using var stream = new MemoryStream();
        SavedOptions.Write(stream, options);
        stream.Position = 0;
        Assert.Equal(spelling, SavedOptions.Read(stream, "test").Target!.ToString());
    }

    [Fact]
    public void FilesWithATargetPolicyKeepTheirTarget()
    {
        var fixedClass = SavedOptions.Read(new MemoryStream(Encoding.UTF8.GetBytes("""{ "targetClassPolicy": "Fixed", "targetClass": 4 }""")), "old.zip");
        Assert.Equal(4, Assert.IsType<GradCam.Engine.Targets.ClassTarget>(fixedClass.Target).Index);
        var column = SavedOptions.Read(new MemoryStream(Encoding.UTF8.GetBytes("""{ "targetClassPolicy": "FromColumn" }""")), "old.zip");
        Assert.Equal("Target", column.TargetColumnName);
        Assert.Null(column.Target);
    }
}
