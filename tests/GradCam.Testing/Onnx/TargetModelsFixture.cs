using GradCam.Imaging;
using GradCam.Models;
using OpenCvSharp;
using static TorchSharp.torch;

namespace GradCam.Testing;

/// <summary>
/// Small networks for targets beyond a class, written and exported by Fixtures/make_target_models.py with their PyTorch
/// references: a single-stage detector in the YOLOv8 and YOLOv5 layouts, a two-headed regressor and a segmenter, with
/// the image they were explained on. Made on first use (seconds) and cached by the script's hash.
/// </summary>
public sealed class TargetModelsFixture() : ScriptFixture("make_target_models.py", "targets")
{
    /// <summary>The 96x96 image every model was explained on (RGB in [0, 1]: the 'none' preprocessing).</summary>
    public string Image => PathOf("image.png");

    /// <summary>The image as a model's batch of one <c>[1, 3, H, W]</c>; the caller disposes it.</summary>
    public Tensor ImageBatch(ImageClassifier model)
    {
        using var image = Cv2.ImRead(Image);
        using var input = ImagePreprocessor.ToTensor(image, model.Input);
        return input.unsqueeze(0);
    }
}
