using System.Collections;
using GradCam.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace GradCam.MLNet;

/// <summary>
/// What a fitted chain's image steps do to a picture before its network (ResizeImages, then ExtractPixels), as an
/// <see cref="InputSpec"/>: so that the reconstructed network can explain images directly (the command line, the live
/// view, the dashcam investigation), not only rows that ML.NET prepares. ExtractPixels computes
/// <c>(pixel + offset) * scale</c> on 0..255 values: a scale of 255, a mean of <c>-offset</c> and a std of <c>1 / scale</c>.
/// </summary>
internal static class FittedImageInput
{
    public static InputSpec From(IReadOnlyList<ITransformer> steps, int networkStart)
    {
        var extract = steps.Take(networkStart).OfType<ImagePixelExtractingTransformer>().LastOrDefault()
            ?? throw new NotSupportedException("the model extracts no pixels from images (ExtractPixels) before its network; explain it through mlContext.Transforms.GradCam(trained)");
        var resize = steps.Take(networkStart).OfType<ImageResizingTransformer>().LastOrDefault()
            ?? throw new NotSupportedException("the model resizes no images (ResizeImages) before its network; explain it through mlContext.Transforms.GradCam(trained)");
        var pixels = Single(ColumnsOf(extract));
        var size = Single(ColumnsOf(resize));
        if (Read<ImageResizingEstimator.ResizingKind>(size, "Resizing") != ImageResizingEstimator.ResizingKind.Fill)
            throw new NotSupportedException("the model's ResizeImages crops or pads to keep the aspect ratio; images are explained with resizing: ResizingKind.Fill (or explain rows through mlContext.Transforms.GradCam(trained))");
        if (Read<bool>(pixels, "InterleavePixelColors"))
            throw new NotSupportedException("the model's ExtractPixels interleaves the colours; images are explained with planar pixels (interleavePixelColors: false)");
        if (Read<ImagePixelExtractingEstimator.ColorBits>(pixels, "ColorsToExtract") != ImagePixelExtractingEstimator.ColorBits.Rgb)
            throw new NotSupportedException("the model's ExtractPixels does not extract red, green and blue");
        bool bgr = Read<ImagePixelExtractingEstimator.ColorsOrder>(pixels, "OrderOfExtraction") switch
        {
            ImagePixelExtractingEstimator.ColorsOrder.ARGB => false,
            ImagePixelExtractingEstimator.ColorsOrder.ABGR => true,
            var order => throw new NotSupportedException($"the model's ExtractPixels orders the colours {order}; RGB (ARGB) and BGR (ABGR) are explained"),
        };
        float scale = Read<float>(pixels, "ScaleImage"), offset = Read<float>(pixels, "OffsetImage");
        var spec = new InputSpec(Read<int>(size, "ImageWidth"), Read<int>(size, "ImageHeight"), [-offset, -offset, -offset], [1 / scale, 1 / scale, 1 / scale])
        {
            Scale = 255f,
            Bgr = bgr,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>
    /// The schema a saved model was trained on, with the image column its ResizeImages reads added back when the file
    /// left it out (ML.NET does not save an in-memory image column's type).
    /// </summary>
    public static DataViewSchema WithImageColumn(ITransformer trained, DataViewSchema schema)
    {
        var steps = FittedNetwork.Flatten(trained).ToList();
        if (steps.OfType<ImageResizingTransformer>().FirstOrDefault() is not { } resize) return schema;
        string column = Read<string>(Single(ColumnsOf(resize)), "InputColumnName");
        if (schema.GetColumnOrNull(column) is not null) return schema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(schema);
        builder.AddColumn(column, new ImageDataViewType());
        return builder.ToSchema();
    }

    // Both transformers keep their column options internal (a property of an internal element type).
    private static IEnumerable ColumnsOf(ITransformer step) =>
        step.GetType().GetProperty("Columns", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(step) as IEnumerable
        ?? throw new NotSupportedException($"this ML.NET version's {step.GetType().Name} does not expose its columns");

    private static object Single(IEnumerable columns)
    {
        var all = columns.Cast<object>().ToList();
        return all.Count == 1 ? all[0] : throw new NotSupportedException($"an image step with {all.Count} columns; GradCam reads chains with one image column");
    }

    // ML.NET keeps these column options internal; their fields are read by name.
    private static T Read<T>(object options, string field) =>
        (T)(options.GetType().GetField(field)?.GetValue(options) ?? options.GetType().GetProperty(field)?.GetValue(options)
            ?? throw new NotSupportedException($"this ML.NET version has no '{field}' in its image column options"));
}
