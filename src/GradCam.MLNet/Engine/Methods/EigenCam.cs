using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>Eigen-CAM: each image's activations projected on their first principal component (see <see cref="CamMethod.EigenCam"/>).</summary>
internal static class EigenCam
{
    /// <param name="a">Activations <c>[N, C, h, w]</c>.</param>
    /// <returns>Raw maps <c>[N, h, w]</c>.</returns>
    public static Tensor Compute(Tensor a)
    {
        long n = a.shape[0], c = a.shape[1], h = a.shape[2], w = a.shape[3];
        var positions = a.reshape(n, c, h * w).transpose(1, 2).to_type(ScalarType.Float64); // [N, hw, C]: positions are the samples
        var centred = positions - positions.mean([1], keepdim: true);
        var (_, _, vh) = torch.linalg.svd(centred, fullMatrices: false);
        var projection = centred.matmul(vh[.., 0, ..].unsqueeze(2)).squeeze(2);            // [N, hw]
        // A principal axis has no sign of its own: choose the one that agrees with where the activations are large.
        var agreement = (projection * positions.sum(2)).sum(1, keepdim: true);
        projection = torch.where(agreement < 0, -projection, projection);
        return projection.relu().to_type(a.dtype).reshape(n, h, w);
    }
}
