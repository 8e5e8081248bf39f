using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using GradCam.Models.Loading;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GradCam.Onnx.Tests.Targets;

/// <summary>
/// A two-headed regressor ('steer', 'brake') and a segmenter written in PyTorch: Grad-CAM of an output element (and of
/// its negation) and of a class inside a mask equal PyTorch hooks with the backward of the same value.
/// </summary>
[Collection(TargetModelsCollection.Name)]
public sealed class OutputAndMaskTargetTests(TargetModelsFixture fixture)
{
    private static readonly ModelLoaderRegistry Registry = ModelLoaderRegistry.CreateDefault().AddOnnx();

    private ImageClassifier Load(string name) =>
        new ModelSpec(fixture.PathOf($"{name}.onnx")) { Input = new InputOptions { Preprocessing = "none" } }.Load(Registry);

    [Fact]
    public void An_output_element_and_its_negation_equal_PyTorch()
    {
        var reference = fixture.Reference("regressor");
        using var model = Load("regressor");
        using var explainer = new GradCamExplainer(model);
        Assert.Equal(["steer", "brake"], explainer.OutputNames);
        using var x = fixture.ImageBatch(model);
        var steer = explainer.Explain(x, [ExplainTarget.Parse("output:steer")])[0];
        Assert.Equal(reference.GetProperty("steer").GetSingle(), steer.TargetLogit, 1e-5f);
        Assert.Equal(-1, steer.TargetClass);
        Assert.Equal("steer", steer.TargetLabel);
        Assertions.Close(PyTorchFixture.Floats(reference.GetProperty("steer_cam")), steer.Cam.Data, rel: 1e-4, what: "steer");

        var brake = explainer.Explain(x, [ExplainTarget.Parse("-brake")])[0];
        Assert.Equal(-reference.GetProperty("brake").GetSingle(), brake.TargetLogit, 1e-5f);
        Assert.Equal("-brake", brake.TargetLabel);
        Assertions.Close(PyTorchFixture.Floats(reference.GetProperty("minus_brake_cam")), brake.Cam.Data, rel: 1e-4, what: "-brake");
    }

    [Fact]
    public void Wrong_outputs_are_one_clear_line()
    {
        using var model = Load("regressor");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        Assert.Equal("regressor has no output 'speed'; its outputs are steer [1, 1], brake [1, 1]",
                     Assert.Throws<ArgumentException>(() => explainer.Explain(x, [ExplainTarget.Parse("output:speed")])).Message);
        Assert.Equal("output 'brake' holds 1 value(s) per image ([1, 1]); element 3 does not exist",
                     Assert.Throws<ArgumentException>(() => explainer.Explain(x, [ExplainTarget.Parse("output:brake[3]")])).Message);
    }

    [Fact]
    public void A_class_inside_a_mask_equals_PyTorch()
    {
        var reference = fixture.Reference("segmenter");
        using var model = Load("segmenter");
        using var explainer = new GradCamExplainer(model);
        using var x = fixture.ImageBatch(model);
        var e = explainer.Explain(x, [ExplainTarget.Parse($"mask:1:{fixture.PathOf("mask.png")}")])[0];
        Assert.Equal(1, e.TargetClass);
        Assertions.Close(PyTorchFixture.Floats(reference.GetProperty("cam")), e.Cam.Data, rel: 1e-4, what: "mask target");
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => explainer.Explain(x, [ExplainTarget.Mask(7, new CamMap(2, 2, [1, 0, 0, 0]))])).Message);
    }
}
