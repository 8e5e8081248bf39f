using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

internal static class DisposeScopeExtensions
{
    /// <summary>
    /// Makes <paramref name="scope"/> the owner of <paramref name="tensor"/>. TorchSharp 0.107's
    /// <c>MoveToOtherDisposeScope</c> to the scope that already owns the tensor drops it from that scope's list
    /// while keeping it as owner, so the tensor leaks and its finalizer later throws; moving only when the owner
    /// differs avoids both.
    /// </summary>
    public static Tensor KeepIn(this Tensor tensor, DisposeScope scope) =>
        scope.Contains(tensor) ? tensor : tensor.MoveToOtherDisposeScope(scope);
}
