using System.CommandLine;
using GradCam.Imaging;
using GradCam.Video;
using GradCam.Video.Pipeline;

namespace GradCam.LiveView.Commands;

/// <summary>How video frames are drawn: colormap, opacity, edges view, temporal smoothing and normalisation.</summary>
internal sealed class OverlayArguments
{
    public Option<Colormap> Colormap { get; } = new("--colormap") { Description = "Heat colouring: Jet, Coolwarm or Turbo", DefaultValueFactory = _ => Imaging.Colormap.Jet };

    public Option<double> Alpha { get; } = new("--alpha") { Description = "Heat opacity, 0..1", DefaultValueFactory = _ => 0.5 };

    public Option<bool> Edges { get; } = new("--edges") { Description = "The article's view: Canny edges of the frame under the heatmap" };

    // --smooth is SmoothGrad's (MethodArguments): the overlay's temporal smoothing is --ema.
    /// <summary>The strongest temporal smoothing the command line accepts (an EMA weight of the past).</summary>
    public const float MaxEma = 0.95f;

    /// <summary><see cref="MaxEma"/> as the messages spell it, whatever the machine's culture.</summary>
    public static string MaxEmaText => MaxEma.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Option<float> Ema { get; } = new("--ema") { Description = $"Temporal smoothing of the heatmap: EMA weight of the past, 0 (off) to {MaxEmaText}", DefaultValueFactory = _ => 0f };

    public Option<HeatmapNormalization> Normalize { get; } = NormalizeOption();

    /// <summary>The heat scale option, shared with <c>evaluate --temporal</c> (which measures what the overlay shows).</summary>
    public static Option<HeatmapNormalization> NormalizeOption() => new("--normalize")
    {
        Description = "Heat scale: Frame (min-max per frame, flickers), Running (decaying running max) or Fixed (--cam-scale)",
        DefaultValueFactory = _ => HeatmapNormalization.Running,
    };

    public Option<float> CamScale { get; } = new("--cam-scale") { Description = "Raw CAM value drawn as full heat with --normalize Fixed", DefaultValueFactory = _ => 1f };

    public Option<bool> NoHud { get; } = new("--no-hud") { Description = "Do not draw the label/fps/latency band" };

    public Option<string> Blend { get; } = new("--blend")
    {
        Description = "heat (default: opacity follows the heat, cold pixels keep the frame's colour) or uniform (the whole frame at --alpha)",
        DefaultValueFactory = _ => "heat",
    };

    public Option<bool> NoColourBar { get; } = new("--no-colour-bar") { Description = "Do not draw the colour bar with the heat scale" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Colormap, Alpha, Edges, Ema, Normalize, CamScale, NoHud, Blend, NoColourBar }) command.Options.Add(o);
        Blend.Check(v => v is not ("heat" or "uniform"), "--blend must be heat or uniform");
        Alpha.Check(v => !(v >= 0 && v <= 1), "--alpha must be between 0 and 1");
        Ema.Check(v => !(v >= 0 && v <= MaxEma), $"--ema must be between 0 and {MaxEmaText}");
        CamScale.Check(v => !(v > 0 && float.IsFinite(v)), "--cam-scale must be a positive number");
    }

    public OverlaySettings Settings(ParseResult parse) => new()
    {
        Colormap = parse.GetValue(Colormap),
        Alpha = parse.GetValue(Alpha),
        Edges = parse.GetValue(Edges),
        Hud = !parse.GetValue(NoHud),
        HeatWeighted = parse.GetValue(Blend) == "heat",
        ColourBar = !parse.GetValue(NoColourBar),
    };

    public HeatmapSmoother Smoother(ParseResult parse) => new()
    {
        Smoothing = parse.GetValue(Ema),
        Normalization = parse.GetValue(Normalize),
        FixedScale = parse.GetValue(CamScale),
    };
}
