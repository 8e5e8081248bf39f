using GradCam.Engine;
using GradCam.Engine.Targets;
using OpenCvSharp;

namespace GradCam.Imaging;

/// <summary>Explaining decoded images: each is preprocessed as the model's <see cref="GradCam.Models.InputSpec"/> says, then explained.</summary>
public static class ImageExplanations
{
    /// <summary>Explains one image decoded by OpenCV (BGR).</summary>
    /// <param name="explainer">The explainer.</param>
    /// <param name="image">An 8-bit BGR image of any size.</param>
    /// <param name="target">What to explain; the top-1 class when null.</param>
    /// <param name="topK">How many top classes to report.</param>
    public static Explanation Explain(this GradCamExplainer explainer, Mat image, ExplainTarget? target = null, int topK = 5)
    {
        using var input = ImagePreprocessor.ToTensor(image, explainer.Model.Input);
        using var batch = input.unsqueeze(0);
        return explainer.Explain(batch, [target], topK)[0];
    }

    /// <summary>Explains several images in one batch.</summary>
    /// <param name="explainer">The explainer.</param>
    /// <param name="images">8-bit BGR images of any sizes.</param>
    /// <param name="targets">Per image, what to explain (null: the top-1 class); null for the top-1 class everywhere.</param>
    /// <param name="topK">How many top classes to report.</param>
    public static IReadOnlyList<Explanation> Explain(this GradCamExplainer explainer, IReadOnlyList<Mat> images, IReadOnlyList<ExplainTarget?>? targets = null, int topK = 5)
    {
        using var batch = ImagePreprocessor.ToBatch(images, explainer.Model.Input);
        return explainer.Explain(batch, targets, topK);
    }
}
