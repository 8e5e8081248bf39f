using System.CommandLine;
using GradCam.Models;
using GradCam.Models.Labels;

namespace GradCam.LiveView.Commands;

/// <summary>The model options every command shares: which network, which weights, which layer and class to explain, where to run.</summary>
internal sealed class ModelArguments
{
    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = $"Network to explain: {string.Join(", ", ModelZoo.Names)}, or a model package file",
        DefaultValueFactory = _ => "vgg16",
    };

    public Option<FileInfo?> Weights { get; } = new("--weights", "-w")
    {
        Description = "State_dict file: PyTorch .pth/.pt (zip or legacy), .safetensors or TorchSharp; format detected from content",
    };

    public Option<bool> RandomWeights { get; } = new("--random-weights")
    {
        Description = "Use seeded random weights instead of a file (smoke tests only: predictions mean nothing)",
    };

    public Option<string?> Layer { get; } = new("--layer", "-l")
    {
        Description = "Target layer by dotted name (default: the model's last conv, e.g. features.28 for vgg16, layer4 for resnet); comma-separated to fuse several",
    };

    public Option<int?> Target { get; } = new("--target", "-t")
    {
        Description = "Class index to explain (default: each image's top-1 class)",
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "auto, cpu, cuda or cuda:N (auto picks CUDA when available)",
        DefaultValueFactory = _ => "auto",
    };

    public Option<FileInfo?> Labels { get; } = new("--labels")
    {
        Description = "Class names, one per line (default: ImageNet's 1000)",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Weights, RandomWeights, Layer, Target, Device, Labels })
            command.Options.Add(option);
        Target.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0) r.AddError("--target must be a class index >= 0");
        });
    }

    /// <summary>Builds the classifier the options describe.</summary>
    public ImageClassifier CreateClassifier(ParseResult parse)
    {
        string name = parse.GetValue(Model)!;
        var weights = parse.GetValue(Weights);
        bool random = parse.GetValue(RandomWeights);
        if (weights is not null && random) throw new ArgumentException("--weights and --random-weights are exclusive: choose one");
        bool isZoo = ModelZoo.Contains(name);
        if (!isZoo && File.Exists(name) && (weights is not null || random))
            throw new ArgumentException($"model package '{name}' holds its weights: drop --weights/--random-weights");
        if (isZoo && weights is null && !random)
            throw new ArgumentException($"{name} needs --weights: {ModelZoo.WeightsHint(name)}. Use --random-weights only for smoke tests");
        return ModelLoader.Load(name, new ZooModelOptions
        {
            WeightsPath = weights?.FullName,
            RandomWeights = random,
            Device = DeviceSelector.Resolve(parse.GetValue(Device)),
            Labels = parse.GetValue(Labels) is { } labelFile ? ClassLabels.Load(labelFile.FullName) : null,
        });
    }
}
