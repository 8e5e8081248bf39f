using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine.Methods;

/// <summary>
/// A ReLU whose backward pass is Guided Backpropagation's: the gradient flows back only where it is positive
/// and the ReLU's input was positive (<c>dx = ReLU(dy) ⊙ [x &gt; 0]</c>).
/// </summary>
internal sealed class GuidedRelu : torch.autograd.SingleTensorFunction<GuidedRelu>
{
    public override string Name => nameof(GuidedRelu);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        ctx.save_for_backward([input]);
        return input.relu();
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var input = ctx.get_saved_variables()[0];
        return [gradOutput.clamp_min(0) * input.gt(0)];
    }
}
