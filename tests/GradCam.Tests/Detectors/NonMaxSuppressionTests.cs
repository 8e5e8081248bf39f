using GradCam.Detectors;
using Xunit;

namespace GradCam.Tests.Detectors;

/// <summary>Class-aware greedy non-maximum suppression on hand-made boxes whose answer is known.</summary>
public sealed class NonMaxSuppressionTests
{
    [Fact]
    public void Overlapping_boxes_of_one_class_keep_the_best_and_other_classes_are_kept()
    {
        (DetectionBox, int, float)[] candidates =
        [
            (new DetectionBox(0, 0, 10, 10), 0, 0.6f),
            (new DetectionBox(1, 1, 11, 11), 0, 0.9f),   // IoU with the first: 81 / 119 = 0.68 > 0.45
            (new DetectionBox(1, 1, 11, 11), 1, 0.5f),   // same place, another class: kept
            (new DetectionBox(20, 20, 30, 30), 0, 0.3f), // elsewhere: kept
            (new DetectionBox(5, 0, 15, 10), 0, 0.4f),   // IoU with the best: 54 / 146 = 0.37 < 0.45: kept
        ];
        Assert.Equal([1, 2, 4, 3], NonMaxSuppression.Apply(candidates, 0.45f, 100));
        Assert.Equal([1, 2], NonMaxSuppression.Apply(candidates, 0.45f, 2));
        Assert.Equal([1, 2, 3], NonMaxSuppression.Apply(candidates, 0.35f, 100)); // 0.37 > 0.35: suppressed
    }

    [Fact]
    public void IoU_of_hand_made_boxes()
    {
        Assert.Equal(81f / 119f, new DetectionBox(0, 0, 10, 10).IoU(new DetectionBox(1, 1, 11, 11)), 6);
        Assert.Equal(0f, new DetectionBox(0, 0, 10, 10).IoU(new DetectionBox(10, 0, 20, 10)));
        Assert.Equal(1f, new DetectionBox(2, 3, 4, 5).IoU(new DetectionBox(2, 3, 4, 5)));
        Assert.Equal(new DetectionBox(5, 10, 15, 30), DetectionBox.FromCentre(10, 20, 10, 20));
    }
}
