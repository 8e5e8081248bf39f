using System.Text.Json;
using GradCam.Models;
using GradCam.Models.Architectures;
using GradCam.Models.Labels;
using GradCam.Models.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Testing;

/// <summary>The PyTorch-made fixtures in Fixtures/ (see Fixtures/make_fixtures.py).</summary>
public sealed class PyTorchFixture
{
    private PyTorchFixture(string name, JsonElement root)
    {
        Name = name;
        Root = root;
        var c = root.GetProperty("config");
        Config = new VggConfig(
            c.GetProperty("features").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("hidden").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("numClasses").GetInt32(),
            c.GetProperty("poolSize").GetInt32(),
            c.GetProperty("batchNorm").GetBoolean());
        InputSize = c.GetProperty("inputSize").GetInt32();
        Layer = root.GetProperty("layer").GetString()!;
    }

    public string Name { get; }
    public JsonElement Root { get; }
    public VggConfig Config { get; }
    public int InputSize { get; }
    public string Layer { get; }

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);

    public static PyTorchFixture Load(string name) =>
        new(name, JsonDocument.Parse(File.ReadAllText(PathOf($"{name}.expected.json"))).RootElement);

    public string WeightsPath(string kind) => PathOf($"{Name}.{kind}");

    public Tensor Input()
    {
        var input = Root.GetProperty("input");
        var shape = input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        return torch.tensor(Floats(input.GetProperty("data")), shape);
    }

    public float[] Logits => Floats(Root.GetProperty("logits"));

    public int FixedTarget => Root.GetProperty("fixedTarget").GetInt32();

    public JsonElement Item(int i) => Root.GetProperty("items")[i];

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    /// <summary>A classifier built in C# and filled from one of the fixture's weight files.</summary>
    public ImageClassifier Classifier(string weightsKind = "zip.pth")
    {
        var net = new Vgg(Config);
        net.LoadWeights(WeightsPath(weightsKind));
        var spec = new InputSpec(InputSize, InputSize, InputSpec.ImageNet.Mean, InputSpec.ImageNet.Std);
        return new ImageClassifier(Name, net, ClassLabels.Numbered(Config.NumClasses), net.LastConvLayer, spec);
    }
}
