using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.Onnx.Converters;

/// <summary>
/// Resize (and Upsample, its predecessor) of the two spatial axes of <c>[N, C, H, W]</c>: nearest with
/// <c>asymmetric</c> coordinates and <c>floor</c> rounding (what PyTorch exports for nearest upsampling, as in YOLO
/// necks), and linear with <c>half_pixel</c>/<c>pytorch_half_pixel</c> or <c>align_corners</c> coordinates. The output
/// size comes from <c>sizes</c>, or from <c>scales</c> (floored).
/// </summary>
[OnnxOp("Resize", 10, 11, 13, 18, 19)]
[OnnxOp("Upsample", 7, 9)]
internal sealed class ResizeConverter : IOnnxConverter
{
    public OnnxOp Convert(OnnxNodeContext node)
    {
        string mode = node.String("mode", "nearest");
        bool upsample = node.Node.OpType == "Upsample";
        string coordinates = upsample || node.Opset < 11 ? "asymmetric" : node.String("coordinate_transformation_mode", "half_pixel");
        string rounding = node.String("nearest_mode", upsample || node.Opset < 11 ? "floor" : "round_prefer_floor");
        if (node.Rank(0) != 4) throw node.Error($"only [N, C, H, W] inputs are resized, got rank {node.Rank(0)}");
        bool? alignCorners = (mode, coordinates) switch
        {
            ("nearest", "asymmetric") when rounding == "floor" => null,
            ("linear" or "bilinear", "half_pixel" or "pytorch_half_pixel") => false,
            ("linear" or "bilinear", "align_corners") => true,
            _ => throw node.Error($"mode '{mode}' with coordinate_transformation_mode '{coordinates}'{(mode == "nearest" ? $" and nearest_mode '{rounding}'" : "")} is not supported (nearest asymmetric floor, linear half_pixel or align_corners are)"),
        };
        // Where the target size is given: Upsample and opset 10 have scales second; later opsets roi, scales, sizes.
        // Read at run time: exporters compute sizes from the input's shape.
        int scalesInput = upsample || node.Opset < 11 ? 1 : 2;
        var attributeScales = upsample && node.Opset < 9 ? node.Floats("scales")!.Select(v => (double)v).ToArray() : null;
        return new FuncOp(node.Node.OpType, x =>
        {
            var input = x[0]!;
            long[] spatial;
            if (scalesInput == 2 && x.Length > 3 && x[3] is { } sizes && sizes.numel() > 0)
                spatial = Values(sizes)[2..].Select(v => (long)v).ToArray();
            else
            {
                var scales = attributeScales ?? Values(x[scalesInput]!);
                if (scales.Length != 4 || scales[0] != 1 || scales[1] != 1)
                    throw new ArgumentException($"{node.Describe}: only the spatial axes are resized, got scales [{string.Join(", ", scales)}]");
                spatial = [(long)Math.Floor(input.shape[2] * scales[2]), (long)Math.Floor(input.shape[3] * scales[3])];
            }
            return alignCorners is bool corners
                ? nn.functional.interpolate(input, spatial, mode: InterpolationMode.Bilinear, align_corners: corners)
                : nn.functional.interpolate(input, spatial, mode: InterpolationMode.Nearest);
        });
    }

    private static double[] Values(Tensor t)
    {
        using var d = t.cpu().to_type(ScalarType.Float64).flatten();
        return d.data<double>().ToArray();
    }
}
