using System.CommandLine;
using GradCam.Engine;
using GradCam.Engine.Methods;
using GradCam.Models;

namespace GradCam.LiveView.Commands;

/// <summary>The explanation-method options every command shares: method, noise and flip averaging, layer fusion.</summary>
internal sealed class MethodArguments
{
    public Option<string> Method { get; } = new("--method")
    {
        Description = $"Explanation method: {string.Join(", ", CamMethods.Names)}",
        DefaultValueFactory = _ => "gradcam",
    };

    public Option<int> Smooth { get; } = new("--smooth")
    {
        Description = "Noise averaging (SmoothGrad) for gradient methods: average the maps of N noisy copies (0: off)",
        DefaultValueFactory = _ => 0,
    };

    public Option<double> SmoothNoise { get; } = new("--smooth-noise")
    {
        Description = "Noise standard deviation for --smooth, as a fraction of the image's value range",
        DefaultValueFactory = _ => 0.15,
    };

    public Option<bool> Flip { get; } = new("--flip")
    {
        Description = "Test-time averaging with the horizontally mirrored image",
    };

    public Option<LayerFusion> Fuse { get; } = new("--fuse")
    {
        Description = "How the maps of several --layer values are fused: Mean or Max of the normalised maps",
        DefaultValueFactory = _ => LayerFusion.Mean,
    };

    public Option<int> ScoreCamBatch { get; } = new("--scorecam-batch")
    {
        Description = "Masked images per forward pass in Score-CAM (0: automatic, 1 on the CPU, 32 on a GPU)",
        DefaultValueFactory = _ => 0,
    };

    public void AddTo(Command command, bool severalMethods = false)
    {
        foreach (var option in new Option[] { Method, Smooth, SmoothNoise, Flip, Fuse, ScoreCamBatch })
            command.Options.Add(option);
        if (severalMethods) Method.Description += " (comma-separated to compare several)";
        Method.Validators.Add(r =>
        {
            var names = Split(r.GetValueOrDefault<string>());
            if (names.Length == 0) r.AddError("--method needs a method name");
            if (names.Length > 1 && !severalMethods) r.AddError($"--method takes one method here, got {names.Length}; 'gradcam evaluate' compares several");
            foreach (var name in names)
                if (!CamMethods.Names.Contains(name.ToLowerInvariant()))
                    r.AddError($"unknown method '{name}' for --method; expected one of {string.Join(", ", CamMethods.Names)}");
        });
        Smooth.Check(v => v < 0, "--smooth must be 0 or more");
        SmoothNoise.Check(v => !(v >= 0 && v <= 10), "--smooth-noise must be between 0 and 10");
        ScoreCamBatch.Check(v => v < 0, "--scorecam-batch must be 0 (automatic) or more");
    }

    /// <summary>The methods named by <c>--method</c>, in order.</summary>
    public IReadOnlyList<CamMethod> Methods(ParseResult parse) => Split(parse.GetValue(Method)).Select(CamMethods.Parse).ToArray();

    /// <summary>The explainer settings for one method; the target layers come from the model options' <c>--layer</c>.</summary>
    public ExplainerOptions Options(ParseResult parse, ModelArguments model, CamMethod? method = null) => new()
    {
        Method = method ?? Methods(parse)[0],
        Layers = Split(parse.GetValue(model.Layer)),
        Fusion = parse.GetValue(Fuse),
        FlipAveraging = parse.GetValue(Flip),
        SmoothSamples = parse.GetValue(Smooth),
        SmoothNoise = parse.GetValue(SmoothNoise),
        ScoreCamBatchSize = parse.GetValue(ScoreCamBatch),
    };

    /// <summary>An explainer for the command's model and method; with <paramref name="showProgress"/>, Score-CAM's masked passes are reported on stderr.</summary>
    public GradCamExplainer CreateExplainer(ParseResult parse, ModelArguments model, ImageClassifier classifier, CamMethod? method = null, bool showProgress = true)
    {
        var explainer = new GradCamExplainer(classifier, Options(parse, model, method));
        if (showProgress && explainer.Definition.ProgressUnit is string unit) explainer.Progress = new ConsoleProgress($"{explainer.Definition.Title} {unit}");
        return explainer;
    }

    /// <summary>"Grad-CAM at features.28", "Score-CAM at layer3+layer4 (mean), flip-averaged, …".</summary>
    public static string Describe(GradCamExplainer explainer)
    {
        var o = explainer.Options;
        string text = $"{explainer.Definition.Title} at {string.Join("+", explainer.Layers)}";
        if (explainer.Layers.Count > 1) text += $" ({o.Fusion.ToString().ToLowerInvariant()} of normalised maps)";
        if (o.FlipAveraging) text += ", flip-averaged";
        if (o.SmoothSamples > 1) text += $", averaged over {o.SmoothSamples} noisy copies";
        if (explainer.Engine != "TorchSharp") text += $"; engine: {explainer.Engine}";
        return text;
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
