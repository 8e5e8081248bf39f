using System.Text.Json;
using System.Text.Json.Serialization;
using GradCam.Engine.Methods;

namespace GradCam.MLNet;

/// <summary>The options a saved transformer records (everything but the model, which is saved as a model package).</summary>
internal sealed record SavedOptions(
    string InputColumnName, string? PredictedLabelColumnName, string? ScoreColumnName, string HeatmapColumnName,
    string TargetClassColumnName, string ErrorColumnName, string TargetLayer, TargetClassPolicy TargetClassPolicy,
    int TargetClass, string TargetClassInputColumnName, HeatmapResolution HeatmapResolution, int BatchSize, string Device,
    IReadOnlyList<string>? Labels, PixelChannelOrder VectorChannelOrder, bool VectorInterleaved, float VectorScale,
    int? VectorHeight, int? VectorWidth,
    // Added with the method family; absent from older files, whose defaults they keep.
    CamMethod Method = CamMethod.GradCam, IReadOnlyList<string>? TargetLayers = null, LayerFusion LayerFusion = LayerFusion.Mean,
    bool FlipAveraging = false, int SmoothSamples = 0, double SmoothNoise = 0.15, int Seed = 1234, int ScoreCamBatchSize = 0)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static SavedOptions From(GradCamOptions o, IReadOnlyList<string> layers) => new(
        o.InputColumnName, o.PredictedLabelColumnName, o.ScoreColumnName, o.HeatmapColumnName, o.TargetClassColumnName,
        o.ErrorColumnName, layers[0], o.TargetClassPolicy, o.TargetClass, o.TargetClassInputColumnName, o.HeatmapResolution,
        o.BatchSize, o.Device, o.Labels, o.VectorChannelOrder, o.VectorInterleaved, o.VectorScale, o.VectorHeight, o.VectorWidth,
        o.Method, layers, o.LayerFusion, o.FlipAveraging, o.SmoothSamples, o.SmoothNoise, o.Seed, o.ScoreCamBatchSize);

    public GradCamOptions ToOptions() => new()
    {
        InputColumnName = InputColumnName,
        PredictedLabelColumnName = PredictedLabelColumnName,
        ScoreColumnName = ScoreColumnName,
        HeatmapColumnName = HeatmapColumnName,
        TargetClassColumnName = TargetClassColumnName,
        ErrorColumnName = ErrorColumnName,
        TargetLayer = TargetLayer,
        TargetClassPolicy = TargetClassPolicy,
        TargetClass = TargetClass,
        TargetClassInputColumnName = TargetClassInputColumnName,
        HeatmapResolution = HeatmapResolution,
        BatchSize = BatchSize,
        Device = Device,
        Labels = Labels,
        VectorChannelOrder = VectorChannelOrder,
        VectorInterleaved = VectorInterleaved,
        VectorScale = VectorScale,
        VectorHeight = VectorHeight,
        VectorWidth = VectorWidth,
        Method = Method,
        TargetLayers = TargetLayers,
        LayerFusion = LayerFusion,
        FlipAveraging = FlipAveraging,
        SmoothSamples = SmoothSamples,
        SmoothNoise = SmoothNoise,
        Seed = Seed,
        ScoreCamBatchSize = ScoreCamBatchSize,
    };
}
