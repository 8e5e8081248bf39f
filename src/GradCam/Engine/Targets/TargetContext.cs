using GradCam.Detectors;
using GradCam.Models;
using static TorchSharp.torch;

namespace GradCam.Engine.Targets;

/// <summary>What targets are resolved against: the clean images' outputs (without gradient), the model's labels, the detector.</summary>
internal sealed class TargetContext
{
    private readonly IReadOnlyList<Detection>?[] _detections;

    public TargetContext(ImageClassifier model, Tensor[] outputs, IReadOnlyList<string> outputNames, YoloDecoder? decoder)
    {
        Model = model;
        Outputs = outputs;
        OutputNames = outputNames;
        Decoder = decoder;
        _detections = new IReadOnlyList<Detection>?[outputs[0].shape[0]];
    }

    public ImageClassifier Model { get; }

    /// <summary>The clean images' outputs, batch first.</summary>
    public Tensor[] Outputs { get; }

    public IReadOnlyList<string> OutputNames { get; }

    public YoloDecoder? Decoder { get; }

    /// <summary>The index of an output by name (null: the first).</summary>
    /// <exception cref="ArgumentException">No output has that name; the message lists them.</exception>
    public int OutputIndex(string? name)
    {
        if (name is null) return 0;
        for (int i = 0; i < OutputNames.Count; i++)
            if (OutputNames[i] == name) return i;
        throw new ArgumentException($"{Model.Name} has no output '{name}'; its outputs are {string.Join(", ", OutputNames.Select((n, i) => $"{n} [{string.Join(", ", Outputs[i].shape)}]"))}");
    }

    /// <summary>The detector's output index and class count, checked against the layout.</summary>
    public (int Output, int Classes) DetectorOutput()
    {
        var decoder = Decoder ?? throw new ArgumentException($"a box target needs the detector's layout (YOLOv5 or YOLOv8): {Model.Name} was not described as a detector");
        int output = OutputIndex(decoder.Options.OutputName);
        int classes = decoder.ClassCount(Outputs[output].shape, OutputNames[output]);
        return (output, classes);
    }

    /// <summary>The detections of one image, decoded once.</summary>
    public IReadOnlyList<Detection> Detections(int item)
    {
        if (_detections[item] is { } known) return known;
        var (output, _) = DetectorOutput();
        return _detections[item] = Decoder!.Decode(Outputs[output][item], Model.Labels);
    }
}
