using GradCam.Detectors;

namespace GradCam.Engine.Targets;

/// <summary>
/// What an explanation differentiates: the scalar <c>y</c> whose gradients weight the feature maps. A class of a
/// classifier (<see cref="ClassTarget"/>), a raw output element of a regressor or multi-head model
/// (<see cref="OutputTarget"/>), the score of one detected box (<see cref="DetectionTarget"/>) or one class's
/// segmentation scores inside a mask (<see cref="MaskTarget"/>). Each is a small object, as pytorch-grad-cam's targets
/// are; <see cref="Parse"/> reads the command line's spelling of them.
/// </summary>
/// <remarks>Every target is resolved against the clean image's forward pass (the top class, the detected boxes), then
/// the same element is differentiated in every view (flipped or noisy copies) of that image.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(ExplainTargetJsonConverter))]
public abstract class ExplainTarget
{
    private protected ExplainTarget()
    {
    }

    /// <summary>The most probable class of each image: what is explained when no target is given.</summary>
    public static ClassTarget TopClass { get; } = new(null, null);

    /// <summary>A class by index.</summary>
    /// <param name="index">The class index, from 0.</param>
    public static ClassTarget Class(int index) => new(index, null);

    /// <summary>A class by its label.</summary>
    /// <param name="label">The class name, as the model's labels spell it.</param>
    public static ClassTarget Class(string label) => new(null, label);

    /// <summary>One element of a model output: a steering angle, a brake probability.</summary>
    /// <param name="output">The output's name; the model's first output when null.</param>
    /// <param name="index">The element's index within one image's output, flattened (0 for a scalar output).</param>
    /// <param name="negate">Explain <c>-y</c>: what pushes the value down.</param>
    public static OutputTarget Output(string? output, int index = 0, bool negate = false) => new(output, index, negate);

    /// <summary>The score of the detection of a given rank (0: the best-scored box).</summary>
    /// <param name="rank">The detection's rank after non-maximum suppression.</param>
    /// <param name="addIoU">Also add the IoU of the anchor's box with the detected box (pytorch-grad-cam's box-score target).</param>
    public static DetectionTarget Box(int rank, bool addIoU = false) => new(rank, null, DetectionTarget.DefaultMinIoU, addIoU);

    /// <summary>The score of the detection that best overlaps a box (IoU at least <paramref name="minIoU"/>).</summary>
    /// <param name="box">The box, in model-input pixels.</param>
    /// <param name="minIoU">The least overlap that counts as a match. Default 0.5.</param>
    /// <param name="addIoU">Also add the IoU of the anchor's box with <paramref name="box"/>.</param>
    public static DetectionTarget BoxOverlapping(DetectionBox box, float minIoU = DetectionTarget.DefaultMinIoU, bool addIoU = false) =>
        new(null, box, minIoU, addIoU);

    /// <summary>The score of the best-scored detection of any of the given classes (zero when there is none).</summary>
    /// <param name="labels">Class labels, as the detector's labels spell them (case ignored).</param>
    public static DetectionTarget BestBox(params string[] labels) =>
        labels.Length == 0 ? throw new ArgumentException("name at least one class", nameof(labels)) : new(null, null, DetectionTarget.DefaultMinIoU, false, labels);

    /// <summary>The sum of one class's segmentation scores inside a pixel mask.</summary>
    /// <param name="classIndex">The class channel of the segmentation output.</param>
    /// <param name="mask">The mask: non-zero pixels count, at the output's resolution or any other (resized, nearest).</param>
    /// <param name="output">The segmentation output's name; the model's first output when null.</param>
    public static MaskTarget Mask(int classIndex, CamMap mask, string? output = null) => new(classIndex, mask, output);

    /// <summary>A class by index.</summary>
    public static implicit operator ExplainTarget(int classIndex) => Class(classIndex);

    /// <summary>A target by its spelling (<see cref="Parse"/>): <c>Target = "box:0"</c>, <c>"output:steer"</c>, <c>"cat"</c>.</summary>
    public static implicit operator ExplainTarget(string text) => Parse(text);

    /// <summary>
    /// Reads a target: <c>3</c> or <c>stop sign</c> (a class by index or label), <c>output:steer</c>,
    /// <c>output:heads[2]</c>, <c>-steer</c> (an output element, negated with a leading minus), <c>box:0</c> (a detection
    /// by rank), <c>box:x1,y1,x2,y2</c> (the detection overlapping a box), <c>box:stop sign|pedestrian</c> (the best detection of
    /// those classes), <c>box:all</c> (<see cref="DetectionTarget.All"/>).
    /// </summary>
    /// <param name="text">The target's spelling.</param>
    /// <exception cref="FormatException">The text is not a target; the message says what forms are.</exception>
    public static ExplainTarget Parse(string text) => TargetParser.Parse(text);

    /// <summary>The spelling <see cref="Parse"/> reads back (a mask target has none).</summary>
    public abstract override string ToString();

    /// <summary>The formula of the explained value, for reports (e.g. <c>y = logit[3]</c>).</summary>
    public abstract string Formula { get; }

    /// <summary>Resolves the target for one image against the clean forward pass.</summary>
    /// <exception cref="ArgumentException">The target does not exist for this model or image; the message says why.</exception>
    internal abstract ResolvedTarget Resolve(TargetContext context, int item);
}
