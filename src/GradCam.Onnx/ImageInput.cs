using Onnx;

namespace GradCam.Onnx;

/// <summary>An ONNX graph's image input: its layout (channels first or last) and the size it is imported at.</summary>
internal sealed record ImageInput(long[] Shape, bool ChannelsLast, int Height, int Width)
{
    /// <summary>Reads an input's declared shape and resolves its dynamic dimensions.</summary>
    /// <param name="input">The graph input.</param>
    /// <param name="size">The user's height and width, for dynamic spatial dimensions.</param>
    /// <param name="source">The model, for messages.</param>
    /// <exception cref="OnnxImportException">Not a 3-channel 4-D image input, or a dynamic size without <paramref name="size"/>.</exception>
    public static ImageInput Describe(ValueInfoProto input, (int Height, int Width)? size, string source)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? d.DimValue : -1).ToArray();
        string shown = dims is null ? "unknown" : $"[{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString()))}]";
        if (dims is not { Length: 4 })
            throw new OnnxImportException($"input '{input.Name}' of '{source}' is {shown}; an image input [N, 3, H, W] or [N, H, W, 3] is expected");
        bool channelsLast = dims[1] != 3 && dims[3] == 3;
        if (dims[1] != 3 && !channelsLast)
            throw new OnnxImportException($"input '{input.Name}' of '{source}' is {shown}; an image input with 3 channels, [N, 3, H, W] or [N, H, W, 3], is expected");
        long h = channelsLast ? dims[1] : dims[2], w = channelsLast ? dims[2] : dims[3];
        if (size is { } s)
        {
            if (s.Height < 1 || s.Width < 1) throw new OnnxImportException($"input size {s.Height}x{s.Width} must be positive");
            if (h > 0 && h != s.Height || w > 0 && w != s.Width)
                throw new OnnxImportException($"input '{input.Name}' of '{source}' is fixed at {h}x{w}; the input size {s.Height}x{s.Width} given does not match");
            (h, w) = (s.Height, s.Width);
        }
        if (h < 1 || w < 1)
            throw new OnnxImportException($"input '{input.Name}' of '{source}' has a dynamic size {shown}: give the size the model was trained at (height and width)") { Setting = "ModelSpec.Input.InputSize" };
        long batch = dims[0] > 0 ? dims[0] : 1;
        long[] shape = channelsLast ? [batch, 3, h, w] : [batch, 3, h, w]; // the module takes NCHW either way
        return new ImageInput(shape, channelsLast, (int)h, (int)w);
    }
}
