using System.Text.Json;
using GradCam.Engine;
using GradCam.Engine.Methods;
using Xunit;

namespace GradCam.Tests.Engine.Methods;

/// <summary>
/// Methods against references derived from their papers by another route than the engine's closed forms
/// (Fixtures/make_reference_fixtures.py): Grad-CAM++ from the second and third derivatives of exp(S) taken by PyTorch's
/// autograd, Score-CAM from the increase of confidence over a black baseline, Eigen-CAM from numpy's SVD with the sign
/// numpy happens to return. At the last ReLU and at the last convolution's signed output of both tiny nets.
/// </summary>
public class IndependentReferenceTests
{
    public static TheoryData<string, bool> Cases() => new() { { "tiny_vgg", false }, { "tiny_vgg", true }, { "tiny_vgg_bn", false }, { "tiny_vgg_bn", true } };

    private static (JsonElement Items, Explanation[] Actual) Run(string net, bool signed, CamMethod method)
    {
        var fixture = PyTorchFixture.Load(net);
        var layers = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.PathOf($"{net}.references.expected.json"))).RootElement.GetProperty("layers");
        var layer = layers.EnumerateObject().ElementAt(signed ? 1 : 0);
        using var model = fixture.Classifier();
        using var explainer = new GradCamExplainer(model, new ExplainerOptions { Layers = [layer.Name], Method = method });
        using var input = fixture.Input();
        var actual = explainer.Explain(input).ToArray();
        Assert.Equal(layer.Value.GetArrayLength(), actual.Length);
        for (int i = 0; i < actual.Length; i++) Assert.Equal(layer.Value[i].GetProperty("target").GetInt32(), actual[i].TargetClass);
        return (layer.Value, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradCamPlusPlusEqualsThePapersAlphaFromAutogradDerivatives(string net, bool signed) =>
        MatchesReference(net, signed, CamMethod.GradCamPlusPlus, "gradcam++");

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoreCamEqualsTheIncreaseOfConfidenceOverABlackBaseline(string net, bool signed) =>
        MatchesReference(net, signed, CamMethod.ScoreCam, "scorecam");

    private static void MatchesReference(string net, bool signed, CamMethod method, string key)
    {
        var (items, actual) = Run(net, signed, method);
        for (int i = 0; i < actual.Length; i++)
        {
            var expected = PyTorchFixture.Floats(items[i].GetProperty(key));
            Assert.Contains(expected, v => v > 0);
            Assertions.Close(expected, actual[i].Cam.Data, 1e-4, what: $"{net} {key} image {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EigenCamIsTheFirstPrincipalComponentUpToSignAndTheSignFollowsTheActivationMass(string net, bool signed)
    {
        var (items, actual) = Run(net, signed, CamMethod.EigenCam);
        for (int i = 0; i < actual.Length; i++)
        {
            var projection = PyTorchFixture.Floats(items[i].GetProperty("eigenProjection"));
            var mass = PyTorchFixture.Floats(items[i].GetProperty("activationMass"));
            // GradCam's one convention: the sign under which the projection agrees with the activation mass.
            int sign = projection.Zip(mass, (p, m) => (double)p * m).Sum() >= 0 ? 1 : -1;
            var expected = projection.Select(p => Math.Max(0f, sign * p)).ToArray();
            var opposite = projection.Select(p => Math.Max(0f, -sign * p)).ToArray();
            Assert.Contains(expected, v => v > 0);
            Assert.Contains(opposite, v => v > 0); // the sign matters: the other one gives another map
            Assertions.Close(expected, actual[i].Cam.Data, 1e-4, what: $"{net} eigencam image {i}");
        }
    }
}
