namespace GradCam.Engine.Methods;

/// <summary>
/// How an explanation map is computed. Every method explains one class (Eigen-CAM excepted) of one image. Each member is
/// registered with its definition (<see cref="MethodAttribute"/>): adding a method is one class in this folder and one
/// member here.
/// </summary>
public enum CamMethod
{
    /// <summary>
    /// Grad-CAM (Selvaraju et al., ICCV 2017): <c>ReLU(sum_k a_k A^k)</c>, <c>a_k = mean_ij dy^c/dA^k_ij</c>.
    /// </summary>
    [Method(typeof(GradCamMethod))]
    GradCam,

    /// <summary>
    /// Grad-CAM++ (Chattopadhay et al., WACV 2018) with the closed form for an exponential score <c>Y = exp(y^c)</c>:
    /// <c>alpha_ij^k = g_ij^2 / (2 g_ij^2 + sum_ab A_ab^k g_ij^3)</c> with <c>g = dy^c/dA</c> (0 where g = 0),
    /// <c>w_k = sum_ij alpha_ij^k ReLU(g_ij)</c>, map <c>ReLU(sum_k w_k A^k)</c>. The paper's common factor
    /// <c>exp(y^c)</c> is left out: it scales the raw map only, not the normalised heatmap.
    /// </summary>
    [Method(typeof(GradCamPlusPlusMethod))]
    GradCamPlusPlus,

    /// <summary>
    /// XGrad-CAM (Fu et al., BMVC 2020): <c>w_k = sum_ij (A_ij^k / sum_ab A_ab^k) dy^c/dA_ij^k</c>, map <c>ReLU(sum_k w_k A^k)</c>.
    /// </summary>
    [Method(typeof(XGradCamMethod))]
    XGradCam,

    /// <summary>
    /// HiResCAM (Draelos &amp; Carin, 2020): the element-wise product of gradient and activation summed over channels,
    /// <c>ReLU(sum_k dy^c/dA^k ⊙ A^k)</c>; faithful to the model when only fully connected layers follow.
    /// </summary>
    [Method(typeof(HiResCamMethod))]
    HiResCam,

    /// <summary>
    /// LayerCAM (Jiang et al., IEEE TIP 2021): element-wise positive gradients, <c>ReLU(sum_k ReLU(dy^c/dA^k) ⊙ A^k)</c>;
    /// suited to earlier, higher-resolution layers.
    /// </summary>
    [Method(typeof(LayerCamMethod))]
    LayerCam,

    /// <summary>
    /// Eigen-CAM (Muhammad &amp; Yeasin, IJCNN 2020): the projection of the activations on their first principal component
    /// (positions as samples, channels as features, centred), sign-corrected so that it correlates positively with the
    /// channel sum of the activations, then ReLU. No gradients, one forward pass; it does not depend on the target class.
    /// </summary>
    [Method(typeof(EigenCamMethod))]
    EigenCam,

    /// <summary>
    /// Score-CAM (Wang et al., CVPR-W 2020): each activation channel, upsampled and min-max normalised, masks the input;
    /// the target's logit on the masked inputs, softmaxed over channels, weights the channels: <c>ReLU(sum_k w_k A^k)</c>.
    /// Costs one forward pass per channel (batched, see <see cref="ExplainerOptions.ScoreCamBatchSize"/>).
    /// </summary>
    [Method(typeof(ScoreCamMethod))]
    ScoreCam,

    /// <summary>
    /// Guided Backpropagation (Springenberg et al., ICLR-W 2015): <c>dy^c/dx</c> where every ReLU passes back only positive
    /// gradients at positive inputs; the map is the largest absolute value over the colour channels, at input resolution.
    /// </summary>
    [Method(typeof(GuidedBackpropMethod))]
    GuidedBackprop,

    /// <summary>
    /// Guided Grad-CAM (Selvaraju et al., 2017): Guided Backpropagation multiplied element-wise by the upsampled,
    /// normalised Grad-CAM heatmap; a class-discriminative map at input resolution.
    /// </summary>
    [Method(typeof(GuidedGradCamMethod))]
    GuidedGradCam,
}
