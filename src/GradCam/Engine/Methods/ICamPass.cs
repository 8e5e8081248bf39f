using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>What a method can ask of one forward/backward pass over a view of the batch.</summary>
internal interface ICamPass
{
    /// <summary>The normalised images of this view <c>[N, 3, H, W]</c>.</summary>
    Tensor Input { get; }

    /// <summary>The class explained per image <c>[N]</c>.</summary>
    Tensor Targets { get; }

    /// <summary>Masked images per forward pass, for methods that score masked inputs.</summary>
    int MaskBatchSize { get; }

    /// <summary>Told of long work's progress (done, total).</summary>
    IProgress<(int Done, int Total)>? Progress { get; }

    /// <summary>Each target layer's activations, from a gradient-free forward pass.</summary>
    Tensor[] Activations();

    /// <summary>Each target layer's activations and the gradients of the target scores with respect to them.</summary>
    (Tensor A, Tensor G)[] ActivationsAndGradients();

    /// <summary>The model's logits for other inputs, without gradients.</summary>
    Tensor Forward(Tensor input);
}
