using GradCam.Imaging;
using GradCam.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace GradCam.MLNet;

/// <summary>
/// The transformer's input column: an image (<see cref="ImageDataViewType"/>, read as <see cref="MLImage"/>) or a
/// float vector of pixels (as <c>ExtractPixels</c> writes them). Validates schemas and turns row values into model input.
/// </summary>
internal sealed class InputColumn
{
    internal const string Expected = "an image (ImageDataViewType / MLImage) or a known-size vector of Single holding 3xHxW pixels";

    private InputColumn(string name, bool isImage, int height, int width)
    {
        Name = name;
        IsImage = isImage;
        Height = height;
        Width = width;
    }

    public string Name { get; }

    public bool IsImage { get; }

    /// <summary>Vector input: the image size the vector holds.</summary>
    public int Height { get; }

    public int Width { get; }

    /// <summary>Validates the input column of a schema shape (estimator side).</summary>
    public static void Validate(SchemaShape inputSchema, GradCamOptions options)
    {
        if (!TryFind(inputSchema, options.InputColumnName, out var column))
            throw NotFound(options.InputColumnName, inputSchema.Select(c => c.Name));
        bool image = column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is ImageDataViewType;
        bool vector = column.Kind == SchemaShape.Column.VectorKind.Vector && column.ItemType == NumberDataViewType.Single;
        if (!image && !vector)
            throw Mismatch(options.InputColumnName, Describe(column.Kind, column.ItemType));
        if (options.TargetColumnName is { } targetColumn)
        {
            if (!TryFind(inputSchema, targetColumn, out var target))
                throw NotFound(targetColumn, inputSchema.Select(c => c.Name), "an Int32 or Int64 class index");
            if (target.Kind != SchemaShape.Column.VectorKind.Scalar || !IsInteger(target.ItemType))
                throw Mismatch(targetColumn, Describe(target.Kind, target.ItemType), "an Int32 or Int64 class index");
        }
    }

    /// <summary>Validates the input column of a schema (transformer side) and describes it.</summary>
    public static InputColumn Resolve(DataViewSchema inputSchema, GradCamOptions options)
    {
        var column = inputSchema.GetColumnOrNull(options.InputColumnName)
            ?? throw NotFound(options.InputColumnName, inputSchema.Where(c => !c.IsHidden).Select(c => c.Name));
        if (options.TargetColumnName is { } targetColumn)
        {
            var target = inputSchema.GetColumnOrNull(targetColumn)
                ?? throw NotFound(targetColumn, inputSchema.Where(c => !c.IsHidden).Select(c => c.Name), "an Int32 or Int64 class index");
            if (!IsInteger(target.Type))
                throw Mismatch(targetColumn, target.Type.ToString() ?? "?", "an Int32 or Int64 class index");
        }
        if (column.Type is ImageDataViewType) return new InputColumn(column.Name, true, 0, 0);
        if (column.Type is VectorDataViewType { ItemType: var item, Size: > 0 } vector && item == NumberDataViewType.Single)
        {
            var (h, w) = ImageSize(vector, options);
            return new InputColumn(column.Name, false, h, w);
        }
        throw Mismatch(options.InputColumnName, column.Type.ToString() ?? "?");
    }

    private static (int Height, int Width) ImageSize(VectorDataViewType vector, GradCamOptions options)
    {
        var dims = vector.Dimensions;
        int h, w;
        if (dims.Length == 3)
            (h, w) = options.VectorInterleaved ? (dims[0], dims[1]) : (dims[1], dims[2]);
        else if (options.VectorHeight is int oh && options.VectorWidth is int ow)
            (h, w) = (oh, ow);
        else
            throw new InvalidOperationException(
                $"input column '{options.InputColumnName}' is a vector of {vector.Size} without image dimensions: set {nameof(GradCamOptions.VectorHeight)} and {nameof(GradCamOptions.VectorWidth)}");
        if (3 * h * w != vector.Size)
            throw Mismatch(options.InputColumnName, vector.ToString(), $"a vector of 3x{h}x{w} = {3 * h * w} pixels");
        return (h, w);
    }

    /// <summary>A reader of one row's value, bound to a row (cursor or prediction row).</summary>
    public Func<Tensor> CreateReader(DataViewRow row, InputSpec spec, GradCamOptions options)
    {
        var column = row.Schema[Name];
        if (IsImage)
        {
            var getter = row.GetGetter<MLImage>(column);
            MLImage image = null!;
            return () =>
            {
                getter(ref image);
                return image is null ? throw new InvalidDataException("the row has no image") : FromImage(image, spec);
            };
        }
        var vectorGetter = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            vectorGetter(ref buffer);
            return FromVector(buffer, spec, options);
        };
    }

    private static Tensor FromImage(MLImage image, InputSpec spec)
    {
        if (image.Width <= 0 || image.Height <= 0) throw new InvalidDataException("the image is empty");
        var pixels = image.Pixels.ToArray();
        int channels = pixels.Length / (image.Width * image.Height);
        long[] rgb = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => [2, 1, 0],
            MLPixelFormat.Rgba32 => [0, 1, 2],
            var f => throw new InvalidDataException($"unsupported pixel format {f}"),
        };
        using var scope = torch.NewDisposeScope();
        var hwc = torch.tensor(pixels, [1, image.Height, image.Width, channels], ScalarType.Byte);
        var picked = hwc.index_select(3, torch.tensor(rgb));
        return ImagePreprocessor.Normalise(picked, spec).squeeze(0).MoveToOuterDisposeScope();
    }

    private Tensor FromVector(VBuffer<float> buffer, InputSpec spec, GradCamOptions options)
    {
        var values = new float[buffer.Length];
        buffer.CopyTo(values);
        using var scope = torch.NewDisposeScope();
        var x = options.VectorInterleaved
            ? torch.tensor(values, [Height, Width, 3]).permute(2, 0, 1)
            : torch.tensor(values, [3, Height, Width]);
        if (options.VectorChannelOrder == PixelChannelOrder.Bgr) x = x.flip(0);
        x = x.mul(options.VectorScale).unsqueeze(0);
        return ImagePreprocessor.NormaliseUnitRange(x, spec).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>A reader of the per-row target class (FromColumn policy).</summary>
    public static Func<int> CreateTargetReader(DataViewRow row, string columnName)
    {
        var column = row.Schema[columnName];
        if (column.Type == NumberDataViewType.Int64)
        {
            var g = row.GetGetter<long>(column);
            long v = 0;
            return () =>
            {
                g(ref v);
                return v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new InvalidDataException($"target class {v} is out of range");
            };
        }
        var getter = row.GetGetter<int>(column);
        int value = 0;
        return () => { getter(ref value); return value; };
    }

    private static bool TryFind(SchemaShape shape, string name, out SchemaShape.Column column)
    {
        column = shape.LastOrDefault(c => c.Name == name);
        return column.Name == name;
    }

    private static bool IsInteger(DataViewType type) => type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64;

    private static string Describe(SchemaShape.Column.VectorKind kind, DataViewType itemType) => kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => itemType.ToString() ?? "?",
        SchemaShape.Column.VectorKind.Vector => $"Vector<{itemType}>",
        _ => $"VarVector<{itemType}>",
    };

    private static ArgumentOutOfRangeException NotFound(string name, IEnumerable<string> present, string expected = Expected) =>
        new("inputSchema", $"Grad-CAM input column '{name}' not found: expected {expected}; the schema has {string.Join(", ", present.Select(p => $"'{p}'"))}");

    private static ArgumentOutOfRangeException Mismatch(string name, string actual, string expected = Expected) =>
        new("inputSchema", $"Schema mismatch for Grad-CAM input column '{name}': expected {expected}, got {actual}");
}
