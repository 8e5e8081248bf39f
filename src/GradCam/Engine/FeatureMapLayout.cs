using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Engine;

/// <summary>
/// How a layer's output holds its feature map, and the view of it as <c>[N, C, h, w]</c> that methods use:
/// channels first (CNNs), channels last <c>[N, h, w, C]</c> (Swin's blocks) or tokens <c>[N, extra + h·w, C]</c> (ViT,
/// with <c>extra</c> leading class/distillation tokens, which are dropped). The grid is inferred from the input's size:
/// <c>h = H / s</c>, <c>w = W / s</c> for a patch size <c>s</c>.
/// </summary>
/// <param name="Kind">The layout.</param>
/// <param name="Height">The grid's rows.</param>
/// <param name="Width">The grid's columns.</param>
/// <param name="ExtraTokens">Leading tokens that are not grid positions (tokens only).</param>
public readonly record struct FeatureMapLayout(FeatureMapKind Kind, int Height, int Width, int ExtraTokens = 0)
{
    /// <summary>The most leading non-grid tokens looked for (ViT's class token, DeiT's class and distillation tokens).</summary>
    public const int MaxExtraTokens = 2;

    /// <summary>Infers the layout of a layer output.</summary>
    /// <param name="shape">The output's shape, batch first.</param>
    /// <param name="inputHeight">The model input's height.</param>
    /// <param name="inputWidth">The model input's width.</param>
    /// <param name="layer">The layer's name, for messages.</param>
    /// <exception cref="ArgumentException">Not a feature map: the message says what the shape is and what was expected.</exception>
    public static FeatureMapLayout Infer(long[] shape, long inputHeight, long inputWidth, string layer)
    {
        string shown = $"[{string.Join(", ", shape)}]";
        if (shape.Length == 4)
        {
            // [N, h, w, C] is told apart from [N, C, h, w] by which pair of axes is a grid over the input.
            bool lastIsGrid = IsGrid(shape[1], shape[2], inputHeight, inputWidth) && !IsGrid(shape[2], shape[3], inputHeight, inputWidth);
            return lastIsGrid ? new(FeatureMapKind.ChannelsLast, (int)shape[1], (int)shape[2])
                              : new(FeatureMapKind.ChannelsFirst, (int)shape[2], (int)shape[3]);
        }
        if (shape.Length == 3)
        {
            for (int extra = 0; extra <= MaxExtraTokens; extra++)
                if (GridOf(shape[1] - extra, inputHeight, inputWidth) is { } grid) return new(FeatureMapKind.Tokens, grid.H, grid.W, extra);
            throw new ArgumentException($"layer '{layer}' outputs {shown}: {shape[1]} tokens are not a grid of patches over the {inputHeight}x{inputWidth} input (with up to {MaxExtraTokens} class tokens)");
        }
        throw new ArgumentException($"layer '{layer}' outputs {shown}; a map needs [N, C, H, W], [N, H, W, C] or tokens [N, tokens, C]");
    }

    /// <summary>The feature map <c>[N, C, h, w]</c> of a layer output; a view, so gradients flow between them.</summary>
    public Tensor ToMap(Tensor output) => Kind switch
    {
        FeatureMapKind.ChannelsLast => output.permute(0, 3, 1, 2),
        FeatureMapKind.Tokens => output.narrow(1, ExtraTokens, (long)Height * Width).reshape(output.shape[0], Height, Width, output.shape[2]).permute(0, 3, 1, 2),
        _ => output,
    };

    /// <summary>The layer output again, from a (possibly replaced) map and the original output's leading tokens.</summary>
    public Tensor FromMap(Tensor map, Tensor original) => Kind switch
    {
        FeatureMapKind.ChannelsLast => map.permute(0, 2, 3, 1),
        FeatureMapKind.Tokens => Tokens(map, original),
        _ => map,
    };

    private Tensor Tokens(Tensor map, Tensor original)
    {
        var grid = map.permute(0, 2, 3, 1).reshape(map.shape[0], (long)Height * Width, map.shape[1]);
        return ExtraTokens == 0 ? grid : torch.cat([original.narrow(1, 0, ExtraTokens).to_type(grid.dtype), grid], 1);
    }

    private static bool IsGrid(long h, long w, long inputHeight, long inputWidth) =>
        h > 0 && w > 0 && inputHeight % h == 0 && inputWidth % w == 0 && inputHeight / h == inputWidth / w;

    private static (int H, int W)? GridOf(long tokens, long inputHeight, long inputWidth)
    {
        if (tokens < 1) return null;
        for (long s = 1; s <= Math.Min(inputHeight, inputWidth); s++)
            if (inputHeight % s == 0 && inputWidth % s == 0 && (inputHeight / s) * (inputWidth / s) == tokens)
                return ((int)(inputHeight / s), (int)(inputWidth / s));
        return null;
    }
}

/// <summary>How a layer output holds its feature map (see <see cref="FeatureMapLayout"/>).</summary>
public enum FeatureMapKind
{
    /// <summary><c>[N, C, h, w]</c>.</summary>
    ChannelsFirst,

    /// <summary><c>[N, h, w, C]</c>.</summary>
    ChannelsLast,

    /// <summary><c>[N, extra + h·w, C]</c>.</summary>
    Tokens,
}
