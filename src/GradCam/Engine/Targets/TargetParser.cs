using System.Globalization;
using System.Text.RegularExpressions;
using GradCam.Detectors;
using OpenCvSharp;

namespace GradCam.Engine.Targets;

/// <summary>Reads the text spelling of targets (<see cref="ExplainTarget.Parse"/>).</summary>
internal static partial class TargetParser
{
    public const string Forms = "a class index or label, output:NAME[i] (or -NAME to negate), box:N, box:x1,y1,x2,y2, box:LABEL|LABEL, box:all, or mask:CLASS:FILE";

    public static ExplainTarget Parse(string text)
    {
        string t = text.Trim();
        if (t.Length == 0 || t.Equals("top", StringComparison.OrdinalIgnoreCase)) return ExplainTarget.TopClass;
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int index)) return ExplainTarget.Class(index);
        if (t.StartsWith("class:", StringComparison.Ordinal)) return ExplainTarget.Class(t["class:".Length..]);
        bool negate = t.StartsWith('-');
        string body = negate ? t[1..] : t;
        if (body.StartsWith("output:", StringComparison.Ordinal)) return ParseOutput(body["output:".Length..], negate, text);
        if (negate) return ParseOutput(body, true, text);
        if (t.StartsWith("box:", StringComparison.Ordinal)) return ParseBox(t["box:".Length..], text);
        if (t.StartsWith("mask:", StringComparison.Ordinal)) return ParseMask(t["mask:".Length..], text);
        if (t.StartsWith("-", StringComparison.Ordinal) || int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            throw Bad(text);
        return ExplainTarget.Class(t);
    }

    private static OutputTarget ParseOutput(string spec, bool negate, string text)
    {
        var match = OutputPattern().Match(spec);
        if (!match.Success) throw Bad(text);
        int element = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return ExplainTarget.Output(match.Groups[1].Value, element, negate);
    }

    private static DetectionTarget ParseBox(string spec, string text)
    {
        bool addIoU = spec.EndsWith("+iou", StringComparison.OrdinalIgnoreCase);
        if (addIoU) spec = spec[..^4];
        if (spec == "all" && !addIoU) return DetectionTarget.All;
        if (int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out int rank)) return ExplainTarget.Box(rank, addIoU);
        var parts = spec.Split(',');
        if (parts.Length == 1 && !addIoU && spec.Length > 0 && !char.IsDigit(spec[0]) && spec[0] != '-')
            return ExplainTarget.BestBox(spec.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var corners = new float[4];
        if (parts.Length != 4 || !parts.Select((p, i) => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out corners[i]) && float.IsFinite(corners[i])).All(ok => ok)
            || corners[2] <= corners[0] || corners[3] <= corners[1])
            throw new FormatException($"target '{text}' is not a box: expected box:N (a rank), box:all, or box:x1,y1,x2,y2 with x1 < x2 and y1 < y2");
        return ExplainTarget.BoxOverlapping(new DetectionBox(corners[0], corners[1], corners[2], corners[3]), addIoU: addIoU);
    }

    private static MaskTarget ParseMask(string spec, string text)
    {
        int colon = spec.IndexOf(':');
        if (colon <= 0 || !int.TryParse(spec[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out int cls))
            throw new FormatException($"target '{text}' is not a mask: expected mask:CLASS:FILE (a class index and an image whose non-zero pixels are the mask)");
        string file = spec[(colon + 1)..];
        if (!File.Exists(file)) throw new FileNotFoundException($"mask image '{file}' not found", file);
        using var image = Cv2.ImRead(file, ImreadModes.Grayscale);
        if (image.Empty()) throw new FormatException($"mask image '{file}' is not an image OpenCV can read");
        int rows = image.Rows, cols = image.Cols;
        image.GetArray(out byte[] pixels);
        return ExplainTarget.Mask(cls, new CamMap(rows, cols, Array.ConvertAll(pixels, p => (float)p)));
    }

    private static FormatException Bad(string text) => new($"target '{text}' is not a target: expected {Forms}");

    [GeneratedRegex(@"^([^\[\]]+)(?:\[(\d+)\])?$")]
    private static partial Regex OutputPattern();
}
