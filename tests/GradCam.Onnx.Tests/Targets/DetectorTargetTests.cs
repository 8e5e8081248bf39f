using GradCam.Detectors;
using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using GradCam.Models.Loading;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests.Targets;

/// <summary>
/// A single-stage detector written in PyTorch, exported in the YOLOv8 and YOLOv5 layouts: the decoded detections equal
/// the reference's (score filter, torchvision's batched_nms), and each box's Grad-CAM equals PyTorch hooks with the
/// backward of the same raw score.
/// </summary>
[Collection(TargetModelsCollection.Name)]
public sealed class DetectorTargetTests(TargetModelsFixture fixture)
{
    private static readonly ModelLoaderRegistry Registry = ModelLoaderRegistry.CreateDefault().AddOnnx();

    private ImageClassifier Load(string layout) => new ModelSpec(fixture.PathOf($"detector.{layout}.onnx"))
    {
        Input = new InputOptions { Preprocessing = "none" },
        Labels = ["car", "stop sign", "pedestrian"],
        Detector = new DetectionOptions { Layout = layout == "yolov8" ? DetectorLayout.Yolov8 : DetectorLayout.Yolov5 },
    }.Load(Registry);

    [Theory]
    [InlineData("yolov8")]
    [InlineData("yolov5")]
    public void Detections_equal_the_reference_decoding_and_nms(string layout)
    {
        var expected = fixture.Reference($"detector.{layout}").GetProperty("detections").EnumerateArray().ToList();
        using var model = Load(layout);
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        var found = explainer.Detect(x)[0];
        Assert.True(expected.Count > 5, "the fixture should have several detections");
        Assert.Equal(expected.Count, found.Count);
        for (int i = 0; i < found.Count; i++)
        {
            Assert.Equal(i, found[i].Rank);
            Assert.Equal(expected[i].GetProperty("anchor").GetInt32(), found[i].Anchor);
            Assert.Equal(expected[i].GetProperty("class").GetInt32(), found[i].Class);
            Assert.Equal(model.Labels[found[i].Class], found[i].Label);
            Assert.Equal(expected[i].GetProperty("score").GetSingle(), found[i].Score, 1e-5f);
            var box = expected[i].GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assertions.Close(box, [found[i].Box.X1, found[i].Box.Y1, found[i].Box.X2, found[i].Box.Y2], rel: 1e-5, what: $"box {i}");
        }
    }

    [Theory]
    [InlineData("yolov8")]
    [InlineData("yolov5")]
    public void Box_score_GradCam_equals_PyTorch_for_every_detection(string layout)
    {
        var reference = fixture.Reference($"detector.{layout}");
        var expected = reference.GetProperty("detections").EnumerateArray().ToList();
        using var model = Load(layout);
        Assert.Equal(reference.GetProperty("node").GetString(), model.DefaultLayer); // the neck, not the head's output
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);

        // box:all shares one forward pass; box:N explains one, alone.
        var all = explainer.ExplainDetections(x);
        Assert.Equal(expected.Count, all.Count);
        foreach (int rank in new[] { 0, 1, expected.Count - 1 })
        {
            var cam = PyTorchFixture.Floats(expected[rank].GetProperty("cam"));
            var single = explainer.Explain(x, [ExplainTarget.Box(rank)])[0];
            Assert.Equal(rank, single.Detection!.Rank);
            Assert.Equal(expected[rank].GetProperty("score").GetSingle(), single.TargetLogit, 1e-5f);
            Assertions.Close(cam, single.Cam.Data, rel: 1e-4, what: $"{layout} box {rank}");
            Assertions.Close(cam, all[rank].Cam.Data, rel: 1e-4, what: $"{layout} box:all, box {rank}");
            Assert.Contains(cam, v => v > 0);
        }
        Assert.Equal(expected.Count, all[0].Detections.Count);
        Assert.Empty(all[0].TopK); // a detector has no class summary
    }

    [Fact]
    public void A_box_overlapping_a_given_box_is_found_by_IoU()
    {
        var expected = fixture.Reference("detector.yolov8").GetProperty("detections").EnumerateArray().ToList();
        var b = expected[2].GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        using var model = Load("yolov8");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        var e = explainer.Explain(x, [ExplainTarget.BoxOverlapping(new DetectionBox(b[0] + 1, b[1] + 1, b[2] + 1, b[3]))])[0];
        Assert.Equal(2, e.Detection!.Rank);
        Assertions.Close(PyTorchFixture.Floats(expected[2].GetProperty("cam")), e.Cam.Data, rel: 1e-4, what: "box found by IoU");

        var far = Assert.Throws<TargetMissingException>(() => explainer.Explain(x, [ExplainTarget.BoxOverlapping(new DetectionBox(-50, -50, -40, -40))]));
        Assert.StartsWith("no detection overlaps [-50, -50, -40, -40] with IoU ≥ 0.5 (the best,", far.Message);
    }

    [Fact]
    public void The_IoU_term_changes_the_map_and_adds_one_for_the_detection_itself()
    {
        using var model = Load("yolov8");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        var plain = explainer.Explain(x, [ExplainTarget.Box(0)])[0];
        var withIoU = explainer.Explain(x, [ExplainTarget.Box(0, addIoU: true)])[0];
        Assert.Equal(plain.TargetLogit + 1f, withIoU.TargetLogit, 1e-4f); // its own box: IoU 1
        Assert.NotEqual(plain.Cam.Data, withIoU.Cam.Data);
    }

    [Fact]
    public void In_a_batch_only_the_item_lacking_its_box_fails()
    {
        int count = fixture.Reference("detector.yolov8").GetProperty("detections").GetArrayLength();
        using var model = Load("yolov8");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        using var two = torch.cat([x, x]);
        var outcomes = explainer.TryExplain(two, [ExplainTarget.Box(count), ExplainTarget.Box(0)]);
        Assert.False(outcomes[0].Succeeded);
        Assert.Equal($"box {count} does not exist: {count} box(es) score 0.25 or more (box:0..box:{count - 1})", outcomes[0].Error!.Message);
        Assert.True(outcomes[1].Succeeded);
        var single = explainer.Explain(x, [ExplainTarget.Box(0)])[0];
        Assertions.Close(single.Cam.Data, outcomes[1].Explanation!.Cam.Data, rel: 1e-5, what: "box 0 explained beside a failing item");
        Assert.All(explainer.TryExplain(two, [ExplainTarget.Box(0), ExplainTarget.Box(1)]), o => Assert.True(o.Succeeded));
        Assert.Null(Assert.Single(explainer.TryExplain(x, [ExplainTarget.Box(count)])).Explanation);
    }

    [Fact]
    public void Wrong_box_targets_and_layouts_are_one_clear_line()
    {
        int count = fixture.Reference("detector.yolov8").GetProperty("detections").GetArrayLength();
        using var model = Load("yolov8");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        var beyond = Assert.Throws<TargetMissingException>(() => explainer.Explain(x, [ExplainTarget.Box(count)]));
        Assert.Equal($"box {count} does not exist: {count} box(es) score 0.25 or more (box:0..box:{count - 1})", beyond.Message);
        var asClass = Assert.Throws<ArgumentException>(() => explainer.Explain(x, [ExplainTarget.Class(0)]));
        Assert.Contains("a class target needs class scores [N, classes]", asClass.Message);
        Assert.Contains("explain a box (box:N) of a detector", asClass.Message);

        // The YOLOv8 file read as YOLOv5: the shape says which it is.
        using var wrong = new ModelSpec(fixture.PathOf("detector.yolov8.onnx"))
        {
            Input = new InputOptions { Preprocessing = "none" },
            Detector = new DetectionOptions { Layout = DetectorLayout.Yolov5 },
        }.Load(Registry);
        using var wrongExplainer = new GradCamExplainer(wrong);
        var layout = Assert.Throws<ArgumentException>(() => wrongExplainer.Explain(x, [ExplainTarget.Box(0)]));
        Assert.Equal("output 'output0' is [1, 7, 144], not the YOLOv5 layout [N, boxes, 5 + classes] (it has fewer boxes than fields per box: is it the YOLOv8 layout?)", layout.Message);

        using var flip = new GradCamExplainer(model, new ExplainerOptions { FlipAveraging = true });
        Assert.Contains("flip averaging does not apply to box and mask targets", Assert.Throws<ArgumentException>(() => flip.Explain(x, [ExplainTarget.Box(0)])).Message);
    }

    [Fact]
    public void Faithfulness_follows_the_box_score_at_its_anchor()
    {
        using var model = Load("yolov8");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        var e = explainer.Explain(x, [ExplainTarget.Box(0)])[0];
        var score = new GradCam.Evaluation.FaithfulnessEvaluator(model, new GradCam.Evaluation.FaithfulnessOptions { Steps = 4 }).Evaluate(x, e);
        Assert.Equal(e.Detection!.Score, score.Probability, 5);
        Assert.Equal(e.Detection.Score, score.DeletionCurve[0], 5);     // nothing deleted yet
        Assert.NotEqual(score.DeletionCurve[0], score.DeletionCurve[^1]);      // everything deleted: the box's score moved
    }

    [Fact]
    public void EigenCam_explains_the_neck_without_a_target()
    {
        using var model = Load("yolov8");
        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Method = Engine.Methods.CamMethod.EigenCam });
        using var x = fixture.ImageBatch(model);
        var boxes = explainer.ExplainDetections(x);
        Assert.True(boxes.Count > 1);
        Assert.Equal(boxes[0].Cam.Data, boxes[1].Cam.Data); // class-free: one map for the image
        Assert.Contains(boxes[0].Cam.Data, v => v > 0);
    }
}
