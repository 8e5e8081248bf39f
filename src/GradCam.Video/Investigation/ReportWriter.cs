using GradCam.IO;
using System.Globalization;
using System.Net;
using System.Text;

namespace GradCam.Video.Investigation;

/// <summary>Writes <c>report.html</c>: the verdict, a plot of P(event) over time, and each event's frame, Grad-CAM and attribution.</summary>
public static class ReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report next to the event images.</summary>
    public static void Write(Investigator.Result r, InvestigationOptions o)
    {
        var html = new StringBuilder();
        string E(string s) => WebUtility.HtmlEncode(s);
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(o.Story.Title(o.EventClass))}} — {{E(Path.GetFileName(o.Clip))}}</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
              h1 { font-size: 1.6em; } .verdict { font-size: 1.15em; background: #fff6e0; border-left: 5px solid #e8a400; padding: .8em 1em; }
              figure { display: inline-block; margin: .5em; } figure img { width: 480px; border: 1px solid #ccc; }
              table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
              .reason { color: #b00020; font-weight: 600; } svg text { font-size: 12px; }
            </style></head><body>
            <h1>{{E(o.Story.Title(o.EventClass))}}</h1>
            <p>Recording <code>{{E(Path.GetFileName(o.Clip))}}</code> ({{r.Width}}x{{r.Height}} @ {{r.Fps.ToString("0.##", Inv)}} fps, {{r.Series.Count}} frames)
            replayed through model <b>{{E(r.ModelName)}}</b>{{(r.CompareName is null ? "" : $", compared with <b>{E(r.CompareName)}</b>")}};
            Grad-CAM explains the class <b>{{E(o.EventClass)}}</b> in every frame. An event is P({{E(o.EventClass)}}) rising above {{o.Thresholds.On.ToString("0.##", Inv)}}
            after at least {{o.Thresholds.MinQuietFrames}} frames below {{o.Thresholds.Off.ToString("0.##", Inv)}}.</p>
            <p class="verdict" id="verdict">{{E(r.Verdict)}}</p>
            """);
        html.Append(Plot(r, o));
        html.Append(StabilityTable(r));
        html.Append($"<p>Annotated video: <a href=\"{E(Path.GetFileName(r.VideoPath))}\">{E(Path.GetFileName(r.VideoPath))}</a>; " +
                    $"per-frame timeline: <a href=\"{E(Path.GetFileName(r.TimelinePath))}\">{E(Path.GetFileName(r.TimelinePath))}</a>.</p>");

        int n = 0;
        foreach (var f in r.Findings)
        {
            var e = f.Event;
            html.Append($"<h2 id=\"event-{++n}\">Event {n}: {E(o.EventClass)} at {Investigator.Clock(e.TimeMs)} (frame {e.Frame})</h2>");
            html.Append($"<figure><img src=\"{E(e.FramePng)}\" alt=\"frame {e.Frame}\"><figcaption>The frame</figcaption></figure>");
            html.Append($"<figure><img src=\"{E(e.OverlayPng)}\" alt=\"Grad-CAM of {E(o.EventClass)} at frame {e.Frame}\"><figcaption>Grad-CAM of '{E(o.EventClass)}'</figcaption></figure>");
            if (e.Explanation.Detections.Count > 0)
            {
                html.Append("<table><tr><th>detection</th><th>score</th><th>box (model input pixels)</th><th>explained</th></tr>");
                foreach (var d in e.Explanation.Detections)
                    html.Append($"<tr><td>{E(d.Label)}</td><td>{d.Score.ToString("0.000", Inv)}</td><td>{E(d.Box.ToString())}</td><td>{(d.Rank == e.Explanation.Detection?.Rank ? "yes" : "")}</td></tr>");
                html.Append("</table>");
                if (f.PeakInBox is bool inside) html.Append($"<p class=\"peak\">The heat peak is <b>{(inside ? "on" : "off")}</b> the explained box (the pointing game's tolerance).</p>");
            }
            else
            {
                html.Append("<table><tr><th>class</th><th>probability</th></tr>");
                foreach (var c in e.Explanation.TopK) html.Append($"<tr><td>{E(c.Label)}</td><td>{c.Probability.ToString("0.000", Inv)}</td></tr>");
                html.Append("</table>");
            }
            if (f.Shares is { } shares)
            {
                html.Append($"<table><tr><th>object in view</th><th>share of the heat</th><th>share of the frame</th><th>concentration</th><th>holds the peak</th><th>reason to {E(o.EventClass)}</th></tr>");
                foreach (var s in shares)
                    html.Append($"<tr><td>{E(s.Object.Name)}</td><td>{s.HeatShare.ToString("P1", Inv)}</td><td>{s.AreaShare.ToString("P1", Inv)}</td>" +
                                $"<td>{s.Concentration.ToString("0.0", Inv)}×</td><td>{(s.HoldsPeak ? "yes" : "")}</td>" +
                                $"<td class=\"{(s.Object.Reason ? "reason" : "")}\">{(s.Object.Reason ? "yes" : "no")}</td></tr>");
                html.Append("</table>");
                if (f.TruthEvent is bool happens) html.Append($"<p>Ground truth for this frame: <b>{(happens ? E(o.EventClass) : "not " + E(o.EventClass))}</b>.</p>");
            }
            else if (f.HotSpot is { } spot)
                html.Append($"<p>Hot spot (heat ≥ half the peak, around the peak): x {spot.X}–{spot.X + spot.Width}, y {spot.Y}–{spot.Y + spot.Height}.</p>");
            if (f.HotRegions is { Count: > 0 } regions)
            {
                html.Append($"<table class=\"hot\"><tr><th>hot region (heat ≥ {HeatAttribution.HotFraction:P0} of the peak)</th><th>share of the heat</th><th>holds the peak</th><th>on</th></tr>");
                foreach (var hr in regions)
                    html.Append($"<tr><td>x {hr.X}–{hr.X + hr.Width}, y {hr.Y}–{hr.Y + hr.Height}</td><td>{hr.HeatShare.ToString("P1", Inv)}</td>" +
                                $"<td>{(hr.HoldsPeak ? "yes" : "")}</td><td>{(hr.CoveredBy is { } name ? E(name) : f.Shares is null ? "(no ground truth)" : "<b>no object</b>")}</td></tr>");
                html.Append("</table>");
                html.Append("<p class=\"note\">Concentration: an object's share of the heat over its share of the frame's area (1× is what its size alone explains).</p>");
            }
            if (f.CompareProbability is double cp)
                html.Append($"<p>{E(r.CompareName!)}: P({E(o.EventClass)}) = {cp.ToString("0.00", Inv)} at this frame.</p>");
        }
        html.Append("</body></html>\n");
        AtomicFile.WriteText(r.ReportPath, html.ToString());
    }

    /// <summary>How much each model's explanations change from frame to frame, per smoothing setting, with the formula.</summary>
    private static string StabilityTable(Investigator.Result r)
    {
        if (r.Stability is not { Count: > 0 } rows) return "";
        var html = new StringBuilder("<h2 id=\"stability\">Temporal stability of the explanations</h2>");
        html.Append("<table class=\"stability\"><tr><th>model</th><th>method</th><th>smoothing (EMA)</th><th>frame pairs</th><th>map change</th><th>heat change</th><th>scene change</th><th>map / scene</th></tr>");
        foreach (var row in rows)
        {
            var s = row.Measured.Stability;
            string ema = row.Measured.Ema == 0 ? "none (the video's)" : row.Measured.Ema.ToString("0.##", Inv);
            html.Append($"<tr><td>{WebUtility.HtmlEncode(row.Model)}</td><td>{WebUtility.HtmlEncode(row.Method)}</td><td>{ema}</td><td>{s.Pairs}</td>" +
                        $"<td>{s.MapChange.ToString("0.0000", Inv)}</td><td>{s.HeatChange.ToString("0.0000", Inv)}</td><td>{s.SceneChange.ToString("0.0000", Inv)}</td>" +
                        $"<td>{(s.Ratio is double ratio ? ratio.ToString("0.0", Inv) + "×" : "still scene")}</td></tr>");
        }
        html.Append("</table>");
        html.Append($"<p class=\"note\">{WebUtility.HtmlEncode(GradCam.Evaluation.TemporalStability.Formula)}; heat change = mean |h_t − h_t−1| of the heat in [0, 1] " +
                    $"(scaled by the {Investigator.ShownScale.ToString().ToLowerInvariant()} maximum, as in the video). 0 is a still map, 1 an unrelated one; a map that " +
                    "changes many times more than the scene flickers. Other methods: <code>gradcam evaluate CLIP --temporal</code>.</p>");
        return html.ToString();
    }

    private static string Plot(Investigator.Result r, InvestigationOptions o)
    {
        const int W = 1000, H = 260, L = 50, R = 20, T = 20, B = 40;
        double maxMs = Math.Max(1, r.Series.Count == 0 ? 1 : r.Series[^1].TimeMs);
        string X(double ms) => (L + (W - L - R) * ms / maxMs).ToString("0.0", Inv);
        string Y(double p) => (T + (H - T - B) * (1 - p)).ToString("0.0", Inv);
        var svg = new StringBuilder($"<svg id=\"plot\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"P({o.EventClass}) over time\">");
        // Ground truth: shade the frames whose label is the event.
        if (r.Truth is { } truth)
        {
            double frameMs = 1000 / r.Fps;
            foreach (var t in truth.Where(t => t.Event))
                svg.Append($"<rect x=\"{X(t.Frame * frameMs)}\" y=\"{T}\" width=\"{((W - L - R) * frameMs / maxMs + 0.5).ToString("0.0", Inv)}\" height=\"{H - T - B}\" fill=\"#ffd6d6\"/>");
        }
        foreach (double p in new[] { 0, 0.5, 1 })
            svg.Append($"<line x1=\"{L}\" x2=\"{W - R}\" y1=\"{Y(p)}\" y2=\"{Y(p)}\" stroke=\"#ddd\"/><text x=\"{L - 30}\" y=\"{Y(p)}\">{p.ToString("0.0", Inv)}</text>");
        svg.Append($"<line x1=\"{L}\" x2=\"{W - R}\" y1=\"{Y(o.Thresholds.On)}\" y2=\"{Y(o.Thresholds.On)}\" stroke=\"#e8a400\" stroke-dasharray=\"4 3\"/>");
        for (int s = 0; s <= maxMs / 1000; s += 5)
            svg.Append($"<text x=\"{X(s * 1000)}\" y=\"{H - B + 16}\">{s}s</text>");
        Polyline(svg, r.Series, X, Y, "#1f5fbf", r.ModelName);
        if (r.CompareSeries is { } cmp) Polyline(svg, cmp, X, Y, "#2a9d3a", r.CompareName!);
        foreach (var f in r.Findings)
            svg.Append($"<circle cx=\"{X(f.Event.TimeMs)}\" cy=\"{Y(f.Event.Probability)}\" r=\"6\" fill=\"none\" stroke=\"#b00020\" stroke-width=\"2\"/>");
        svg.Append($"<text x=\"{L + 10}\" y=\"{T + 14}\" fill=\"#1f5fbf\">P({o.EventClass}) — {r.ModelName}</text>");
        if (r.CompareName is not null) svg.Append($"<text x=\"{L + 230}\" y=\"{T + 14}\" fill=\"#2a9d3a\">P({o.EventClass}) — {r.CompareName}</text>");
        if (r.Truth is not null) svg.Append($"<text x=\"{L + 460}\" y=\"{T + 14}\" fill=\"#c05050\">shaded: ground truth '{o.EventClass}'</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Polyline(StringBuilder svg, IReadOnlyList<(long Frame, double TimeMs, double P)> series, Func<double, string> x, Func<double, string> y, string color, string name)
    {
        svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" data-series=\"{WebUtility.HtmlEncode(name)}\" points=\"");
        foreach (var (_, ms, p) in series) svg.Append($"{x(ms)},{y(p)} ");
        svg.Append("\"/>");
    }
}
