using GradCam.Engine;
using GradCam.Engine.Targets;
using Torch = TorchSharp.torch;

namespace GradCam.MLNet;

/// <summary>One row's outputs: its explanation, or why there is none.</summary>
internal readonly record struct RowResult(Explanation? Explanation, string? Error)
{
    public static RowResult Failed(string error) => new(null, error);
}

/// <summary>One row's input, read ahead of the batch: a normalised <c>[3, H, W]</c> tensor and target, or why it could not be read.</summary>
internal readonly record struct RowInput(Torch.Tensor? Input, ExplainTarget? Target, string? Error);
