using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>What a method can ask of one forward/backward pass over a view of the batch, for one target per image.</summary>
internal interface ICamPass
{
    /// <summary>The normalised images of this view <c>[N, 3, H, W]</c>.</summary>
    Tensor Input { get; }

    /// <summary>Masked images per forward pass, for methods that score masked inputs.</summary>
    int MaskBatchSize { get; }

    /// <summary>Told of long work's progress (done, total).</summary>
    IProgress<(int Done, int Total)>? Progress { get; }

    /// <summary>Each target layer's activations, from a gradient-free forward pass.</summary>
    Tensor[] Activations();

    /// <summary>Each target layer's activations and the gradients of the target values with respect to them.</summary>
    (Tensor A, Tensor G)[] ActivationsAndGradients();

    /// <summary>Image <paramref name="item"/>'s target value on other inputs (e.g. masked copies of it), without gradients: <c>[b]</c>.</summary>
    Tensor Scores(Tensor inputs, long item);
}
