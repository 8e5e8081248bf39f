using GradCam.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Detectors;

/// <summary>
/// Reads a single-stage detector's raw output (<see cref="DetectorLayout"/>): the detections of an image, and as
/// differentiable tensors the score and the box of one anchor, which box targets explain.
/// </summary>
public sealed class YoloDecoder
{
    /// <summary>A decoder for one layout and its thresholds.</summary>
    /// <param name="options">The layout and thresholds.</param>
    /// <exception cref="GradCam.Configuration.SettingException">An option is out of range.</exception>
    public YoloDecoder(DetectionOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>The layout and thresholds.</summary>
    public DetectionOptions Options { get; }

    /// <summary>The number of classes an output of this layout scores.</summary>
    /// <param name="shape">The output's shape, batch first.</param>
    /// <param name="output">The output's name, for messages.</param>
    /// <exception cref="ArgumentException">The shape is not of the layout; the message says what was expected.</exception>
    public int ClassCount(long[] shape, string output)
    {
        string shown = $"[{string.Join(", ", shape)}]";
        if (shape.Length != 3)
            throw new ArgumentException($"output '{output}' is {shown}: a {Name} detector outputs 3 dimensions, {Expected}");
        long boxes = Options.Layout == DetectorLayout.Yolov8 ? shape[2] : shape[1];
        long fields = Options.Layout == DetectorLayout.Yolov8 ? shape[1] : shape[2];
        long classes = fields - (Options.Layout == DetectorLayout.Yolov8 ? 4 : 5);
        // Both layouts are 3-D; a detector has far more anchors than classes, which tells a transposed output apart.
        if (classes < 1 || boxes < fields)
            throw new ArgumentException($"output '{output}' is {shown}, not the {Name} layout {Expected}" +
                                        (boxes < fields ? $" (it has fewer boxes than fields per box: is it the {Other} layout?)" : ""));
        return (int)classes;
    }

    /// <summary>Decodes one image's raw output: boxes above the score threshold, then non-maximum suppression.</summary>
    /// <param name="output">The raw output of one image, without its batch axis (<c>[anchors, 5 + C]</c> or <c>[4 + C, anchors]</c>).</param>
    /// <param name="labels">Class names; <c>class N</c> for classes they do not cover.</param>
    /// <returns>The detections, best first.</returns>
    public IReadOnlyList<Detection> Decode(Tensor output, IReadOnlyList<string> labels)
    {
        using var scope = torch.NewDisposeScope();
        var rows = Options.Layout == DetectorLayout.Yolov8 ? output.t() : output;   // [anchors, fields]
        long fields = rows.shape[1];
        int offset = Options.Layout == DetectorLayout.Yolov8 ? 4 : 5;
        var classScores = rows.narrow(1, offset, fields - offset);
        if (Options.Layout == DetectorLayout.Yolov5) classScores = classScores * rows.narrow(1, 4, 1);
        var (best, cls) = classScores.max(1);
        var data = TensorCopy.ToFloats(rows.narrow(1, 0, 4));
        var scores = TensorCopy.ToFloats(best);
        var classes = TensorCopy.ToLongs(cls);
        var candidates = new List<(DetectionBox Box, int Class, float Score)>();
        var anchors = new List<int>();
        for (int a = 0; a < scores.Length; a++)
        {
            if (!(scores[a] >= Options.ScoreThreshold)) continue;
            candidates.Add((DetectionBox.FromCentre(data[a * 4], data[a * 4 + 1], data[a * 4 + 2], data[a * 4 + 3]), (int)classes[a], scores[a]));
            anchors.Add(a);
        }
        var kept = NonMaxSuppression.Apply(candidates, Options.IouThreshold, Options.MaxDetections);
        return kept.Select((k, rank) => new Detection(rank, anchors[k], candidates[k].Class,
                                                      candidates[k].Class < labels.Count ? labels[candidates[k].Class] : $"class {candidates[k].Class}",
                                                      candidates[k].Score, candidates[k].Box)).ToList();
    }

    /// <summary>One anchor's score for one class over a batch of raw outputs, differentiable.</summary>
    /// <param name="outputs">Raw outputs <c>[b, …]</c>.</param>
    /// <param name="anchor">The anchor.</param>
    /// <param name="classIndex">The class.</param>
    /// <returns><c>[b]</c>.</returns>
    public Tensor Score(Tensor outputs, int anchor, int classIndex) => Options.Layout == DetectorLayout.Yolov8
        ? outputs[.., 4 + classIndex, anchor]
        : outputs[.., anchor, 4] * outputs[.., anchor, 5 + classIndex];

    /// <summary>One anchor's box <c>x1, y1, x2, y2</c> over a batch of raw outputs, differentiable.</summary>
    /// <param name="outputs">Raw outputs <c>[b, …]</c>.</param>
    /// <param name="anchor">The anchor.</param>
    /// <returns><c>[b, 4]</c>.</returns>
    public Tensor Box(Tensor outputs, int anchor)
    {
        var centre = Options.Layout == DetectorLayout.Yolov8 ? outputs[.., ..4, anchor] : outputs[.., anchor, ..4];
        var half = centre[.., 2..4] / 2;
        return torch.cat([centre[.., ..2] - half, centre[.., ..2] + half], 1);
    }

    private string Name => Options.Layout == DetectorLayout.Yolov8 ? "YOLOv8" : "YOLOv5";

    private string Other => Options.Layout == DetectorLayout.Yolov8 ? "YOLOv5" : "YOLOv8";

    private string Expected => Options.Layout == DetectorLayout.Yolov8 ? "[N, 4 + classes, boxes]" : "[N, boxes, 5 + classes]";
}
