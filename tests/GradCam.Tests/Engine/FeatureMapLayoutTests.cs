using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GradCam.Tests.Engine;

/// <summary>
/// Token and channels-last layer outputs seen as <c>[N, C, h, w]</c> maps: the layouts inferred from shapes, and a
/// TorchSharp network whose token layer explains exactly as the same network's channels-first layer.
/// </summary>
public sealed class FeatureMapLayoutTests
{
    [Fact]
    public void Layouts_are_inferred_from_the_input_size()
    {
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.Tokens, 14, 14, 1), FeatureMapLayout.Infer([2, 197, 768], 224, 224, "l"));
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.Tokens, 14, 14, 0), FeatureMapLayout.Infer([2, 196, 768], 224, 224, "l"));
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.Tokens, 14, 14, 2), FeatureMapLayout.Infer([2, 198, 768], 224, 224, "l")); // DeiT
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.Tokens, 12, 20, 1), FeatureMapLayout.Infer([1, 241, 64], 192, 320, "l"));
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.ChannelsLast, 7, 7), FeatureMapLayout.Infer([1, 7, 7, 768], 224, 224, "l"));
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.ChannelsFirst, 7, 7), FeatureMapLayout.Infer([1, 768, 7, 7], 224, 224, "l"));
        Assert.Equal(new FeatureMapLayout(FeatureMapKind.ChannelsFirst, 10, 10), FeatureMapLayout.Infer([1, 64, 10, 10], 299, 299, "l"));
    }

    [Fact]
    public void Tokens_that_are_not_a_grid_are_one_clear_line()
    {
        Assert.Equal("layer 'blocks.3' outputs [1, 53, 768]: 53 tokens are not a grid of patches over the 224x224 input (with up to 2 class tokens)",
                     Assert.Throws<ArgumentException>(() => FeatureMapLayout.Infer([1, 53, 768], 224, 224, "blocks.3")).Message);
        Assert.StartsWith("layer 'fc' outputs [1, 10]; a map needs",
                          Assert.Throws<ArgumentException>(() => FeatureMapLayout.Infer([1, 10], 224, 224, "fc")).Message);
    }

    [Fact]
    public void A_token_layer_explains_exactly_as_the_same_map_channels_first()
    {
        // Patch embedding (a 4x4 stride-4 conv over 32x32: an 8x8 grid), a class token prepended, a per-token linear
        // layer, then the mean of the patch tokens to two classes. Its Grad-CAM at the token layer (the class token
        // dropped) must equal the Grad-CAM of the same conv output explained channels-first.
        var embed = Conv2d(3, 6, 4, stride: 4);
        var mix = Linear(6, 6);
        var head = Linear(6, 2);
        // Weights from a private generator: the global one is shared with tests running in parallel.
        var generator = new torch.Generator(3);
        using (torch.no_grad())
            foreach (var p in new Module[] { embed, mix, head }.SelectMany(m => m.parameters()))
                p.copy_(torch.rand(p.shape, generator: generator) - 0.5);
        using var tokens = new ImageClassifier("tokens", new TokenNet(embed, mix, head), ["a", "b"], "mix", new InputSpec(32, 32, [0, 0, 0], [1, 1, 1]), ownsModule: false);
        using var maps = new ImageClassifier("maps", new MapNet(embed, mix, head), ["a", "b"], "mix", new InputSpec(32, 32, [0, 0, 0], [1, 1, 1]), ownsModule: false);
        using var x = torch.rand(2, 3, 32, 32, generator: new torch.Generator(9));
        using var a = new GradCamExplainer(tokens);
        using var b = new GradCamExplainer(maps);
        int positive = 0;
        foreach (var targets in new[] { new ExplainTarget?[] { 1, 0 }, [0, 1] })
        {
            var ea = a.Explain(x, targets);
            var eb = b.Explain(x, targets);
            for (int i = 0; i < 2; i++)
            {
                Assert.Equal((8, 8), (ea[i].Cam.Height, ea[i].Cam.Width));
                Assertions.Close(eb[i].Cam.Data, ea[i].Cam.Data, rel: 1e-5, what: $"item {i}");
                if (ea[i].Cam.Data.Any(v => v > 0)) positive++;
            }
        }
        Assert.True(positive >= 2, "the maps compared should not all be zero");
    }

    private sealed class TokenNet : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> embed, mix, head;
        private readonly TorchSharp.Modules.Parameter cls;

        public TokenNet(Module<Tensor, Tensor> embed, Module<Tensor, Tensor> mix, Module<Tensor, Tensor> head) : base("TokenNet")
        {
            this.embed = embed;
            this.mix = new TokenMix(mix);
            this.head = head;
            cls = Parameter(torch.ones(1, 1, 6));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var t = embed.call(x).flatten(2).transpose(1, 2);                          // [N, 64, 6]
            t = torch.cat([cls.expand(t.shape[0], 1, 6), t], 1);                       // [N, 65, 6]
            var mixed = mix.call(t);
            return head.call(mixed.narrow(1, 1, 64).mean([1]));
        }
    }

    /// <summary>The per-token linear layer, applied to a map's channels.</summary>
    private sealed class MapNet : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> embed, mix, head;

        public MapNet(Module<Tensor, Tensor> embed, Module<Tensor, Tensor> mix, Module<Tensor, Tensor> head) : base("MapNet")
        {
            this.embed = embed;
            this.mix = new ChannelMix(mix);
            this.head = head;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => head.call(mix.call(embed.call(x)).mean([2, 3]));
    }

    private sealed class TokenMix(Module<Tensor, Tensor> linear) : Module<Tensor, Tensor>("TokenMix")
    {
        public override Tensor forward(Tensor t) => linear.call(t);
    }

    private sealed class ChannelMix(Module<Tensor, Tensor> linear) : Module<Tensor, Tensor>("ChannelMix")
    {
        public override Tensor forward(Tensor m) => linear.call(m.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
    }
}
