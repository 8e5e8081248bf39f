namespace GradCam.Detectors;

/// <summary>Greedy non-maximum suppression per class, as the YOLO tools run it by default (class-aware).</summary>
public static class NonMaxSuppression
{
    /// <summary>Keeps the best-scored box of each cluster of same-class boxes that overlap more than the threshold.</summary>
    /// <param name="candidates">Boxes with their class and score.</param>
    /// <param name="iouThreshold">Two boxes of one class whose IoU is above this are the same object.</param>
    /// <param name="maxDetections">At most this many are kept.</param>
    /// <returns>The indices of the kept candidates, best score first (ties: lower index first).</returns>
    public static IReadOnlyList<int> Apply(IReadOnlyList<(DetectionBox Box, int Class, float Score)> candidates, float iouThreshold, int maxDetections)
    {
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => candidates[i].Score).ThenBy(i => i).ToArray();
        var kept = new List<int>();
        foreach (int i in order)
        {
            if (kept.Count == maxDetections) break;
            var (box, cls, _) = candidates[i];
            bool suppressed = false;
            foreach (int k in kept)
                if (candidates[k].Class == cls && candidates[k].Box.IoU(box) > iouThreshold) { suppressed = true; break; }
            if (!suppressed) kept.Add(i);
        }
        return kept;
    }
}
