using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// Score-CAM (Wang et al., CVPR-W 2020): each activation channel, upsampled and min-max normalised, masks the input; the
/// target's logit on the masked inputs, softmaxed over channels, weights the channels. One forward pass per channel.
/// </summary>
internal sealed class ScoreCamMethod : CamMethodDefinition
{
    public override string Name => "scorecam";

    public override string Title => "Score-CAM";

    public override bool UsesGradients => false;

    public override string? ProgressUnit => "masked images";

    internal override Tensor[] LayerMaps(ICamPass pass) =>
        pass.Activations().Select(a => Compute(pass.Scores, pass.Input, a, pass.MaskBatchSize, pass.Progress)).ToArray();

    /// <param name="scores">Image i's target value on a batch of inputs (no gradients): <c>[b]</c>.</param>
    /// <param name="input">The normalised images <c>[N, 3, H, W]</c>.</param>
    /// <param name="a">The layer's activations <c>[N, C, h, w]</c>.</param>
    /// <param name="batchSize">Masked images per forward pass.</param>
    /// <param name="progress">Told after each pass: masked images done, and in all.</param>
    /// <returns>Raw maps <c>[N, h, w]</c>.</returns>
    /// <remarks>
    /// A channel that is constant over the image (a dead ReLU channel, typically) normalises to an all-zero mask: every
    /// such channel masks the image to the same blank input, which is scored once instead of once per channel.
    /// </remarks>
    public static Tensor Compute(Func<Tensor, long, Tensor> scores, Tensor input, Tensor a, int batchSize,
                                 IProgress<(int Done, int Total)>? progress)
    {
        long n = a.shape[0], c = a.shape[1];
        int total = (int)(n * c), done = 0;
        var weights = new List<Tensor>();
        for (long i = 0; i < n; i++)
        {
            using var item = torch.NewDisposeScope();
            // Each channel, upsampled to the input and min-max normalised, is a soft mask over the image.
            var masks = TensorMaps.MinMaxNormalise(nn.functional.interpolate(a[i].unsqueeze(1), [input.shape[2], input.shape[3]],
                                                                             mode: InterpolationMode.Bilinear, align_corners: false)); // [C, 1, H, W]
            var informative = torch.nonzero(masks.flatten(1).amax(1).gt(0)).squeeze(1); // channels not flat: a real mask
            var image = input[i].unsqueeze(0);
            var score = torch.empty(c, dtype: a.dtype, device: a.device);
            if (informative.shape[0] < c)
                score.copy_(scores(torch.zeros_like(image), i)[0].expand(c));
            int skipped = (int)(c - informative.shape[0]);
            if (skipped > 0) progress?.Report((done += skipped, total));
            for (long k = 0; k < informative.shape[0]; k += batchSize)
            {
                var channels = informative.narrow(0, k, Math.Min(batchSize, informative.shape[0] - k));
                var masked = image * masks.index_select(0, channels);                  // [b, 3, H, W]
                score.index_copy_(0, channels, scores(masked, i).to_type(score.dtype));
                done += (int)channels.shape[0];
                progress?.Report((done, total));
            }
            weights.Add(score.MoveToOuterDisposeScope());
        }
        var softmax = nn.functional.softmax(torch.stack(weights), 1);                   // [N, C] over channels
        return (softmax.unsqueeze(2).unsqueeze(3) * a).sum(1).relu();
    }
}
