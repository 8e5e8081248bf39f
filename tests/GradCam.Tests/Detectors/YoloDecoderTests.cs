using GradCam.Configuration;
using GradCam.Detectors;
using TorchSharp;
using Xunit;

namespace GradCam.Tests.Detectors;

/// <summary>Decoding both YOLO layouts from hand-written outputs, and the layout checks.</summary>
public sealed class YoloDecoderTests
{
    [Fact]
    public void Both_layouts_decode_the_same_boxes()
    {
        // Three anchors, two classes: cx, cy, w, h, then (YOLOv5) objectness and class probabilities.
        float[,] v5 =
        {
            { 10, 10, 4, 4, 0.9f, 0.1f, 0.8f },    // class 1: 0.72
            { 30, 30, 8, 8, 0.5f, 0.9f, 0.2f },    // class 0: 0.45
            { 50, 50, 2, 2, 0.2f, 0.5f, 0.5f },    // 0.1: below 0.25
        };
        using var yolov5 = torch.tensor(v5);
        var found = new YoloDecoder(new DetectionOptions { Layout = DetectorLayout.Yolov5 }).Decode(yolov5, ["car", "sign"]);
        Assert.Equal(2, found.Count);
        Assert.Equal(new Detection(0, 0, 1, "sign", 0.72f, new DetectionBox(8, 8, 12, 12)), found[0] with { Score = MathF.Round(found[0].Score, 5) });
        Assert.Equal((1, 0, "car"), (found[1].Anchor, found[1].Class, found[1].Label));

        // YOLOv8: no objectness, fields first; class scores 0.72 and 0.45 as above.
        using var yolov8 = torch.tensor(new float[,]
        {
            { 10, 30, 50 }, { 10, 30, 50 }, { 4, 8, 2 }, { 4, 8, 2 }, { 0.08f, 0.45f, 0.1f }, { 0.72f, 0.18f, 0.1f },
        });
        var same = new YoloDecoder(new DetectionOptions()).Decode(yolov8, ["car", "sign"]);
        Assert.Equal(found.Select(d => (d.Anchor, d.Class, d.Box)), same.Select(d => (d.Anchor, d.Class, d.Box)));
    }

    [Fact]
    public void A_shape_that_is_not_the_layout_is_one_clear_line()
    {
        var v8 = new YoloDecoder(new DetectionOptions());
        Assert.Equal(80, v8.ClassCount([1, 84, 8400], "output0"));
        Assert.Equal("output 'output0' is [1, 8400, 84], not the YOLOv8 layout [N, 4 + classes, boxes] (it has fewer boxes than fields per box: is it the YOLOv5 layout?)",
                     Assert.Throws<ArgumentException>(() => v8.ClassCount([1, 8400, 84], "output0")).Message);
        Assert.Equal("output 'logits' is [1, 1000]: a YOLOv8 detector outputs 3 dimensions, [N, 4 + classes, boxes]",
                     Assert.Throws<ArgumentException>(() => v8.ClassCount([1, 1000], "logits")).Message);
        var v5 = new YoloDecoder(new DetectionOptions { Layout = DetectorLayout.Yolov5 });
        Assert.Equal(80, v5.ClassCount([1, 25200, 85], "output0"));
        Assert.Equal("DetectionOptions.IouThreshold",
                     Assert.Throws<SettingException>(() => new YoloDecoder(new DetectionOptions { IouThreshold = 0 })).Setting);
    }
}
