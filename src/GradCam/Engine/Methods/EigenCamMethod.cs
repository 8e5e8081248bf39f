using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// Eigen-CAM (Muhammad &amp; Yeasin, IJCNN 2020): each image's activations projected on their first principal component
/// (positions as samples, channels as features, centred), sign-corrected to correlate positively with the channel sum
/// of the activations, then ReLU. No gradients and no class: one forward pass.
/// </summary>
/// <remarks>Positions are the samples and channels the features; the Gram matrix has one row per position (196 for
/// VGG16's last conv layer), far fewer than the 512 channels.</remarks>
internal sealed class EigenCamMethod : CamMethodDefinition
{
    public override string Name => "eigencam";

    public override string Title => "Eigen-CAM";

    public override bool UsesGradients => false;

    internal override Tensor[] LayerMaps(ICamPass pass) => pass.Activations().Select(Compute).ToArray();

    /// <param name="a">Activations <c>[N, C, h, w]</c>.</param>
    /// <returns>Raw maps <c>[N, h, w]</c>.</returns>
    public static Tensor Compute(Tensor a)
    {
        long n = a.shape[0], c = a.shape[1], h = a.shape[2], w = a.shape[3];
        var positions = a.reshape(n, c, h * w).transpose(1, 2).to_type(ScalarType.Float64); // [N, hw, C]: positions are the samples
        var centred = positions - positions.mean([1], keepdim: true);
        // The projection on the first principal axis is X v_1 = s_1 u_1: the top eigenvector of the small hw x hw Gram
        // matrix X X^T, scaled by the root of its eigenvalue, gives it without a full SVD of the hw x C matrix.
        var (values, vectors) = torch.linalg.eigh(centred.matmul(centred.transpose(1, 2)));   // ascending
        var projection = vectors.select(2, h * w - 1) * values.narrow(1, h * w - 1, 1).clamp_min(0).sqrt(); // [N, hw]
        // A principal axis has no sign of its own: choose the one that agrees with where the activations are large.
        var agreement = (projection * positions.sum(2)).sum(1, keepdim: true);
        projection = torch.where(agreement < 0, -projection, projection);
        return projection.relu().to_type(a.dtype).reshape(n, h, w);
    }
}
