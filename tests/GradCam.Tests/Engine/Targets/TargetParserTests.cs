using GradCam.Detectors;
using GradCam.Engine.Targets;
using Xunit;

namespace GradCam.Tests.Engine.Targets;

/// <summary>The text spelling of targets: each form, and one clear line for what is not a target.</summary>
public sealed class TargetParserTests
{
    [Fact]
    public void Classes_by_index_and_label()
    {
        Assert.True(((ClassTarget)ExplainTarget.Parse("")).IsTop);
        Assert.True(((ClassTarget)ExplainTarget.Parse("top")).IsTop);
        Assert.Equal(3, ((ClassTarget)ExplainTarget.Parse("3")).Index);
        Assert.Equal("stop sign", ((ClassTarget)ExplainTarget.Parse("stop sign")).Label);
        Assert.Equal("42", ((ClassTarget)ExplainTarget.Parse("class:42")).Label); // a label that looks like a number
    }

    [Fact]
    public void Output_elements_with_a_sign()
    {
        var steer = Assert.IsType<OutputTarget>(ExplainTarget.Parse("output:steer"));
        Assert.Equal(("steer", 0, false), (steer.OutputName, steer.Index, steer.Negate));
        var head = Assert.IsType<OutputTarget>(ExplainTarget.Parse("output:heads[2]"));
        Assert.Equal(("heads", 2, false), (head.OutputName, head.Index, head.Negate));
        var down = Assert.IsType<OutputTarget>(ExplainTarget.Parse("-brake"));
        Assert.Equal(("brake", 0, true), (down.OutputName, down.Index, down.Negate));
        Assert.True(Assert.IsType<OutputTarget>(ExplainTarget.Parse("-output:brake[1]")).Negate);
        Assert.Equal("y = -brake[0]", down.Formula);
    }

    [Fact]
    public void Boxes_by_rank_by_overlap_and_all()
    {
        Assert.Equal(0, Assert.IsType<DetectionTarget>(ExplainTarget.Parse("box:0")).Rank);
        Assert.True(Assert.IsType<DetectionTarget>(ExplainTarget.Parse("box:2+iou")).AddIoU);
        Assert.Same(DetectionTarget.All, ExplainTarget.Parse("box:all"));
        var overlap = Assert.IsType<DetectionTarget>(ExplainTarget.Parse("box:10,20,50.5,60"));
        Assert.Equal(new DetectionBox(10, 20, 50.5f, 60), overlap.Overlapping);
        Assert.Equal(0.5f, overlap.MinIoU);
        var best = Assert.IsType<DetectionTarget>(ExplainTarget.Parse("box:stop sign|pedestrian"));
        Assert.Equal(["stop sign", "pedestrian"], best.Labels);
        Assert.False(best.IsAll);
        Assert.Equal("box:stop sign|pedestrian", best.ToString());
    }

    [Theory]
    [InlineData("box:1,2,3", "target 'box:1,2,3' is not a box: expected box:N (a rank), box:all, or box:x1,y1,x2,y2 with x1 < x2 and y1 < y2")]
    [InlineData("box:5,5,1,1", "target 'box:5,5,1,1' is not a box: expected box:N (a rank), box:all, or box:x1,y1,x2,y2 with x1 < x2 and y1 < y2")]
    [InlineData("output:steer[x]", "target 'output:steer[x]' is not a target: expected " + "a class index or label, output:NAME[i] (or -NAME to negate), box:N, box:x1,y1,x2,y2, box:LABEL|LABEL, box:all, or mask:CLASS:FILE")]
    [InlineData("mask:x:file.png", "target 'mask:x:file.png' is not a mask: expected mask:CLASS:FILE (a class index and an image whose non-zero pixels are the mask)")]
    public void What_is_not_a_target_is_one_clear_line(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => ExplainTarget.Parse(text)).Message);
    }

    [Fact]
    public void A_missing_mask_image_is_named()
    {
        Assert.Equal("mask image 'no-such.png' not found", Assert.Throws<FileNotFoundException>(() => ExplainTarget.Parse("mask:1:no-such.png")).Message);
    }
}
