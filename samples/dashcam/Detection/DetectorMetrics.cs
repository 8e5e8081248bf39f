using GradCam.Detectors;
using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Evaluation;
using GradCam.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Dashcam.Detection;

/// <summary>
/// How good the detector is and how faithful its maps are, on held-out scenes: mAP@0.5 (VOC's all-point average
/// precision per class, a detection a true positive when its IoU with an unmatched truth box of its class is 0.5 or
/// more), and the pointing game of the box maps (the Grad-CAM peak of each true-positive detection inside its truth
/// box, with the classifier's tolerance, <see cref="PointingGame"/>).
/// </summary>
public static class DetectorMetrics
{
    /// <summary>The measures.</summary>
    public sealed record Result(int Scenes, double MeanAp, IReadOnlyDictionary<string, double> ApPerClass, int Explained, int Hits)
    {
        /// <summary>The pointing game's accuracy.</summary>
        public double PointingAccuracy => Explained == 0 ? 0 : (double)Hits / Explained;
    }

    /// <summary>Measures a detector on <paramref name="count"/> held-out scenes.</summary>
    public static Result Measure(ImageClassifier model, int seed, int count, TextWriter? log = null)
    {
        var sampler = new World.SceneSampler(seed);
        var found = new List<(int Class, float Score, bool Hit)>();
        var truthCount = new int[DetectorClasses.Labels.Count];
        using var explainer = new GradCamExplainer(model);
        int explained = 0, hits = 0;
        for (int done = 0; done < count; done += 16)
        {
            using var scope = torch.NewDisposeScope();
            var (x, objects) = DetectorTrainer.Batch(sampler, Math.Min(16, count - done));
            var detections = explainer.Detect(x);
            for (int i = 0; i < detections.Count; i++)
            {
                foreach (var o in objects[i]) truthCount[o.Class]++;
                var matched = new bool[objects[i].Count];
                foreach (var d in detections[i])
                {
                    int best = -1;
                    float bestIoU = 0.5f;
                    for (int t = 0; t < objects[i].Count; t++)
                    {
                        var o = objects[i][t];
                        float iou = d.Box.IoU(new DetectionBox(o.X1, o.Y1, o.X2, o.Y2));
                        if (o.Class == d.Class && !matched[t] && iou >= bestIoU) (best, bestIoU) = (t, iou);
                    }
                    if (best >= 0) matched[best] = true;
                    found.Add((d.Class, d.Score, best >= 0));
                    if (best < 0) continue;
                    // The pointing game of the box's own map: its peak inside the object's box.
                    using var one = x.narrow(0, i, 1);
                    var e = explainer.Explain(one, [ExplainTarget.Box(d.Rank)])[0];
                    var o2 = objects[i][best];
                    var box = new PixelBox((int)o2.X1, (int)o2.Y1, Math.Max(1, (int)(o2.X2 - o2.X1)), Math.Max(1, (int)(o2.Y2 - o2.Y1)));
                    explained++;
                    if (PointingGame.Hit(e.Heatmap, [box], e.Heatmap.Width, e.Heatmap.Height)) hits++;
                }
            }
            log?.Write($"\r  measured {Math.Min(count, done + 16)}/{count} scenes");
        }
        log?.WriteLine();
        var ap = new Dictionary<string, double>();
        for (int c = 0; c < DetectorClasses.Labels.Count; c++)
            if (truthCount[c] > 0) ap[DetectorClasses.Labels[c]] = AveragePrecision(found.Where(f => f.Class == c).ToList(), truthCount[c]);
        return new Result(count, ap.Count == 0 ? 0 : ap.Values.Average(), ap, explained, hits);
    }

    /// <summary>VOC's all-point interpolated average precision.</summary>
    public static double AveragePrecision(IReadOnlyList<(int Class, float Score, bool Hit)> detections, int truths)
    {
        var ordered = detections.OrderByDescending(d => d.Score).ToList();
        var precision = new double[ordered.Count];
        var recall = new double[ordered.Count];
        int tp = 0;
        for (int i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Hit) tp++;
            precision[i] = (double)tp / (i + 1);
            recall[i] = (double)tp / truths;
        }
        double ap = 0, previousRecall = 0;
        for (int i = 0; i < ordered.Count; i++)
        {
            // The precision envelope: the best precision at this recall or beyond.
            double best = 0;
            for (int j = i; j < ordered.Count; j++) best = Math.Max(best, precision[j]);
            ap += (recall[i] - previousRecall) * best;
            previousRecall = recall[i];
        }
        return ap;
    }
}
