using GradCam.Detectors;
using static TorchSharp.torch;

namespace GradCam.Engine.Targets;

/// <summary>
/// The score of one detected box, read from the detector's raw (pre-NMS) output at the box's anchor:
/// <c>y = s_c(anchor)</c> (YOLOv5: <c>objectness · p_c</c>), plus <c>IoU(box(anchor), B)</c> with the detected or given
/// box <c>B</c> when <see cref="AddIoU"/> (as pytorch-grad-cam's box-score target). The box is the detection of a rank
/// or the one that overlaps a given box best (IoU ≥ <see cref="MinIoU"/>), after score filtering and non-maximum
/// suppression (<see cref="DetectionOptions"/>).
/// </summary>
/// <remarks>Gradients need the raw score: after NMS a box is a selection, which has no gradient. Eigen-CAM needs no
/// target and explains the detector's feature map as a whole.</remarks>
public sealed class DetectionTarget : ExplainTarget
{
    /// <summary>The overlap that makes a detection match a given box by default.</summary>
    public const float DefaultMinIoU = 0.5f;

    internal DetectionTarget(int? rank, DetectionBox? box, float minIoU, bool addIoU, IReadOnlyList<string>? labels = null)
    {
        Labels = labels;
        if (rank < 0) throw new ArgumentOutOfRangeException(nameof(rank), $"a detection rank is 0 or more, got {rank}");
        if (!(minIoU is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(minIoU), $"the least IoU must be in (0, 1], got {minIoU}");
        Rank = rank;
        Overlapping = box;
        MinIoU = minIoU;
        AddIoU = addIoU;
    }

    /// <summary>Every detection of the image, one map each (see <c>GradCamExplainer.ExplainDetections</c>).</summary>
    public static DetectionTarget All { get; } = new(null, null, DefaultMinIoU, false);

    /// <summary>
    /// When chosen by class: the labels whose best-scored detection is explained. An image with no such detection
    /// explains nothing (a flat map and a value of 0): in a video, a frame where no such object is seen.
    /// </summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>The detection's rank (0: the best), when chosen by rank.</summary>
    public int? Rank { get; }

    /// <summary>The box a detection must overlap, when chosen by box.</summary>
    public DetectionBox? Overlapping { get; }

    /// <summary>The least IoU with <see cref="Overlapping"/> that counts as a match.</summary>
    public float MinIoU { get; }

    /// <summary>Whether the anchor box's IoU with the target box is added to the score.</summary>
    public bool AddIoU { get; }

    /// <summary>Whether this stands for every detection.</summary>
    public bool IsAll => Rank is null && Overlapping is null && Labels is null;

    /// <inheritdoc />
    public override string Formula => $"y = s_c(anchor){(AddIoU ? " + IoU(box(anchor), B)" : "")}";

    internal override ResolvedTarget Resolve(TargetContext context, int item)
    {
        if (IsAll) throw new ArgumentException("box:all gives one map per detection: explain it with ExplainDetections");
        var (output, _) = context.DetectorOutput();
        var detections = context.Detections(item);
        var decoder = context.Decoder!;
        Detection detection;
        if (Labels is { } labels)
        {
            var best = detections.FirstOrDefault(d => labels.Contains(d.Label, StringComparer.OrdinalIgnoreCase));
            if (best is null)   // nothing of the kind in view: a zero value, whose gradients (and map) are zero
                return new ResolvedTarget(this, -1, $"no {string.Join("|", labels)}", outputs => outputs[output].flatten(1)[.., 0] * 0f);
            detection = best;
        }
        else if (Rank is int rank)
        {
            if (rank >= detections.Count)
                throw new TargetMissingException(detections.Count == 0
                    ? $"no detection to explain: no box scores {decoder.Options.ScoreThreshold} or more"
                    : $"box {rank} does not exist: {detections.Count} box(es) score {decoder.Options.ScoreThreshold} or more (box:0..box:{detections.Count - 1})");
            detection = detections[rank];
        }
        else
        {
            var box = Overlapping!.Value;
            var best = detections.Select(d => (d, IoU: d.Box.IoU(box))).OrderByDescending(m => m.IoU).FirstOrDefault();
            if (best.d is null || best.IoU < MinIoU)
                throw new TargetMissingException($"no detection overlaps {box} with IoU ≥ {MinIoU}" +
                                            (best.d is null ? ": nothing was detected" : $" (the best, {best.d}, has {best.IoU:0.00})"));
            detection = best.d;
        }
        int anchor = detection.Anchor, cls = detection.Class;
        var reference = Overlapping ?? detection.Box;
        bool addIoU = AddIoU;
        return new ResolvedTarget(this, cls, $"{detection.Label} #{detection.Rank}", outputs =>
        {
            var score = decoder.Score(outputs[output], anchor, cls);
            return addIoU ? score + BoxIoU(decoder.Box(outputs[output], anchor), reference) : score;
        }, detection);
    }

    /// <summary>IoU of boxes <c>[b, 4]</c> with one box, differentiable in the boxes.</summary>
    private static Tensor BoxIoU(Tensor boxes, DetectionBox box)
    {
        var w = (boxes[.., 2].clamp(max: box.X2) - boxes[.., 0].clamp(min: box.X1)).clamp(min: 0);
        var h = (boxes[.., 3].clamp(max: box.Y2) - boxes[.., 1].clamp(min: box.Y1)).clamp(min: 0);
        var intersection = w * h;
        var area = (boxes[.., 2] - boxes[.., 0]).clamp(min: 0) * (boxes[.., 3] - boxes[.., 1]).clamp(min: 0);
        return intersection / (area + box.Area - intersection).clamp(min: 1e-9);
    }

    /// <inheritdoc />
    public override string ToString() => (IsAll ? "box:all" : Labels is { } l ? $"box:{string.Join("|", l)}" : Rank is int r ? $"box:{r}"
        : FormattableString.Invariant($"box:{Overlapping!.Value.X1:R},{Overlapping.Value.Y1:R},{Overlapping.Value.X2:R},{Overlapping.Value.Y2:R}")) + (AddIoU ? "+iou" : "");
}
