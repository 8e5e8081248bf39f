using System.CommandLine;
using GradCam.Detectors;
using GradCam.Engine.Targets;
using GradCam.Models;
using GradCam.Models.Labels;
using GradCam.Onnx;

namespace GradCam.LiveView.Commands;

/// <summary>The model options every command shares: which network, which weights, which layer and class to explain, where to run.</summary>
internal sealed class ModelArguments
{
    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = $"Network to explain: {string.Join(", ", ModelZoo.Names)}, a model package file, an ONNX file (.onnx), or a saved ML.NET model (.zip)",
        DefaultValueFactory = _ => "vgg16",
    };

    public Option<FileInfo?> Weights { get; } = new("--weights", "-w")
    {
        Description = "State_dict file: PyTorch .pth/.pt (zip or legacy), .safetensors or TorchSharp; format detected from content",
    };

    public Option<bool> RandomWeights { get; } = new("--random-weights")
    {
        Description = "Use seeded random weights instead of a file (smoke tests only: predictions mean nothing)",
    };

    public Option<string?> Layer { get; } = new("--layer", "-l")
    {
        Description = "Target layer by dotted name (default: the model's last conv, e.g. features.28 for vgg16, layer4 for resnet); comma-separated to fuse several",
    };

    public Option<string?> Target { get; } = new("--target", "-t")
    {
        Description = "What to explain (default: each image's top-1 class): a class index or label; output:NAME[i] (an output element, "
                      + "-NAME to explain what lowers it); box:N (the N-th detection), box:x1,y1,x2,y2 (the detection overlapping that box, "
                      + "IoU >= 0.5; +iou adds the IoU to the score), box:all (one map per detection); mask:CLASS:FILE (a segmentation class inside a mask image)",
    };

    public Option<string?> Detector { get; } = new("--detector")
    {
        Description = "The model is a single-stage detector with raw (pre-NMS) output: yolov5 ([N, boxes, 5 + classes]) or yolov8 ([N, 4 + classes, boxes])",
    };

    public Option<float?> ScoreThreshold { get; } = new("--score-threshold")
    {
        Description = $"Detectors: boxes scoring less are dropped (default {DetectionOptions.DefaultScoreThreshold})",
    };

    public Option<float?> IouThreshold { get; } = new("--iou-threshold")
    {
        Description = $"Detectors: non-maximum suppression drops a box overlapping a better one of its class by more (default {DetectionOptions.DefaultIouThreshold})",
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "auto, cpu, cuda or cuda:N (auto picks CUDA when available)",
        DefaultValueFactory = _ => "auto",
    };

    public Option<FileInfo?> Labels { get; } = new("--labels")
    {
        Description = "Class names, one per line (default: ImageNet's 1000)",
    };

    public Option<string?> InputSize { get; } = new("--input-size")
    {
        Description = "ONNX models: input height and width, H,W (needed when the file leaves them dynamic)",
    };

    public Option<string?> Preprocess { get; } = new("--preprocess")
    {
        Description = $"ONNX models: the preprocessing the model was trained with: {string.Join(", ", InputSpec.PresetNames)} (default imagenet: torchvision's mean/std on RGB in [0, 1]; none: RGB in [0, 1]; raw: RGB in [0, 255]; caffe: BGR in [0, 255] minus the ImageNet mean)",
    };

    public Option<string?> Mean { get; } = new("--mean") { Description = "ONNX models: per-channel mean r,g,b subtracted after scaling (overrides the preset's)" };

    public Option<string?> Std { get; } = new("--std") { Description = "ONNX models: per-channel standard deviation r,g,b (overrides the preset's)" };

    public Option<float?> Scale { get; } = new("--scale") { Description = "ONNX models: pixel range, 1 (values in [0, 1]) or 255 (overrides the preset's)" };

    public Option<bool> Bgr { get; } = new("--bgr") { Description = "ONNX models: the network takes B, G, R planes (overrides the preset's)" };

    public Option<string> Engine { get; } = new("--engine")
    {
        Description = "ONNX models: torch (TorchSharp runs the whole graph) or hybrid (ONNX Runtime runs it up to the target layer, TorchSharp differentiates the rest; CPU)",
        DefaultValueFactory = _ => "torch",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Weights, RandomWeights, Layer, Target, Detector, ScoreThreshold, IouThreshold, Device, Labels, InputSize, Preprocess, Mean, Std, Scale, Bgr, Engine })
            command.Options.Add(option);
        InputSize.Validators.Add(r => { if (ParseList(r.GetValueOrDefault<string?>(), 2, "--input-size", "H,W", r.AddError) is { } s && s.Any(v => v < 1 || v != Math.Floor(v))) r.AddError("--input-size must be two positive integers H,W"); });
        Mean.Validators.Add(r => ParseList(r.GetValueOrDefault<string?>(), 3, "--mean", "r,g,b", r.AddError));
        Std.Validators.Add(r => { if (ParseList(r.GetValueOrDefault<string?>(), 3, "--std", "r,g,b", r.AddError) is { } s && s.Any(v => v == 0)) r.AddError("--std values must not be 0"); });
        Scale.Check(v => v is { } scale && scale is not (1f or 255f), "--scale must be 1 or 255");
        Engine.AcceptOnlyFromAmong("torch", "hybrid");
        Preprocess.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } p && !InputSpec.PresetNames.Contains(p, StringComparer.OrdinalIgnoreCase))
                r.AddError($"--preprocess must be one of {string.Join(", ", InputSpec.PresetNames)}, got '{p}'");
        });
        Detector.Check(v => v is not (null or "yolov5" or "yolov8"), "--detector must be yolov5 or yolov8");
        ScoreThreshold.Check(v => v is { } t && !(t >= 0 && t <= 1), "--score-threshold must be between 0 and 1");
        IouThreshold.Check(v => v is { } t && !(t > 0 && t <= 1), "--iou-threshold must be above 0 and at most 1");
        Target.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is not { } text) return;
            try
            {
                var target = ExplainTarget.Parse(text);
                if (target is DetectionTarget && r.GetValue(Detector) is null)
                    r.AddError($"--target {text} explains a detected box: say how the model's output holds boxes with --detector yolov5 or yolov8");
            }
            catch (Exception e) when (e is FormatException or IOException or ArgumentException) { r.AddError($"--target: {e.Message}"); }
        });
    }

    /// <summary>The target the options name; null for each image's top-1 class.</summary>
    public ExplainTarget? ParseTarget(ParseResult parse) => parse.GetValue(Target) is { } text ? ExplainTarget.Parse(text) : null;

    /// <summary>The detector description the options give; null when the model is not a detector.</summary>
    private DetectionOptions? DetectorOptions(ParseResult parse)
    {
        var threshold = parse.GetValue(ScoreThreshold);
        var iou = parse.GetValue(IouThreshold);
        if (parse.GetValue(Detector) is not { } layout)
        {
            if (threshold is not null || iou is not null) throw new ArgumentException("--score-threshold and --iou-threshold apply to detectors: add --detector yolov5 or yolov8");
            return null;
        }
        return new DetectionOptions
        {
            Layout = layout == "yolov5" ? DetectorLayout.Yolov5 : DetectorLayout.Yolov8,
            ScoreThreshold = threshold ?? DetectionOptions.DefaultScoreThreshold,
            IouThreshold = iou ?? DetectionOptions.DefaultIouThreshold,
        };
    }

    /// <summary>Builds the classifier the options describe.</summary>
    public ImageClassifier CreateClassifier(ParseResult parse) => Spec(parse).Load(CliModels.Registry);

    /// <summary>The model the options describe, checked against each other.</summary>
    public ModelSpec Spec(ParseResult parse)
    {
        string name = parse.GetValue(Model)!;
        var weights = parse.GetValue(Weights);
        bool random = parse.GetValue(RandomWeights);
        if (weights is not null && random) throw new ArgumentException("--weights and --random-weights are exclusive: choose one");
        bool isZoo = ModelZoo.Contains(name);
        if (!isZoo && File.Exists(name) && (weights is not null || random))
            throw new ArgumentException($"model file '{name}' holds its weights: drop --weights/--random-weights");
        if (isZoo && weights is null && !random)
            throw new ArgumentException($"{name} needs --weights: {ModelZoo.WeightsHint(name)}. Use --random-weights only for smoke tests");
        var input = InputOptions(parse);
        bool hybrid = parse.GetValue(Engine) == "hybrid";
        if ((input is not null || hybrid) && !OnnxModel.IsOnnx(name))
            throw new ArgumentException("--input-size, --preprocess, --mean, --std, --scale, --bgr and --engine hybrid apply to ONNX models only (zoo models and packages know their input)");
        return new ModelSpec(name)
        {
            WeightsPath = weights?.FullName,
            RandomWeights = random,
            Device = parse.GetValue(Device)!,
            Labels = parse.GetValue(Labels) is { } labelFile ? ClassLabels.Load(labelFile.FullName) : null,
            Input = input,
            Engine = hybrid ? ModelEngine.Hybrid : ModelEngine.TorchSharp,
            Detector = DetectorOptions(parse),
        };
    }

    /// <summary>The input options given on the command line (for model files that leave their input open), or null when none is.</summary>
    private InputOptions? InputOptions(ParseResult parse)
    {
        var size = ParseList(parse.GetValue(InputSize), 2, "--input-size", "H,W", Fail);
        var mean = ParseList(parse.GetValue(Mean), 3, "--mean", "r,g,b", Fail);
        var std = ParseList(parse.GetValue(Std), 3, "--std", "r,g,b", Fail);
        var preset = parse.GetValue(Preprocess);
        var scale = parse.GetValue(Scale);
        bool bgr = parse.GetValue(Bgr);
        if (size is null && mean is null && std is null && preset is null && scale is null && !bgr) return null;
        return new InputOptions
        {
            InputSize = size is null ? null : ((int)size[0], (int)size[1]),
            Preprocessing = preset ?? "imagenet",
            Mean = mean?.Select(v => (float)v).ToArray(),
            Std = std?.Select(v => (float)v).ToArray(),
            Scale = scale,
            Bgr = bgr ? true : null,
        };
    }

    private static void Fail(string message) => throw new ArgumentException(message);

    private static double[]? ParseList(string? text, int count, string option, string form, Action<string> error)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                error($"{option} must be {count} numbers {form}, got '{text}'");
                return null;
            }
        }
        if (values.Length != count)
        {
            error($"{option} must be {count} numbers {form}, got '{text}'");
            return null;
        }
        return values;
    }
}
