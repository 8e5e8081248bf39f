using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using GradCam.Fleet.Jobs;
using GradCam.IO;

namespace GradCam.Fleet.Reports;

/// <summary>
/// The fleet-wide answer: stops per drive and per attributed cause, the strongest cases with their frame and Grad-CAM,
/// as <c>fleet.html</c> (self-contained beside the drives' reports, with an SVG plot) and <c>fleet.json</c> with the same numbers.
/// </summary>
public static class FleetReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The numbers of a finished job.</summary>
    public sealed record Numbers(string JobId, string Model, string? Compare, string EventClass, int Drives, int Done, int Failed,
                                 int DrivesWithEvents, int Events, int? CompareEvents, IReadOnlyDictionary<string, int> EventsByCause,
                                 IReadOnlyDictionary<string, int> DrivesByCause, IReadOnlyList<DriveRow> PerDrive,
                                 IReadOnlyDictionary<string, double>? MeanConcentrationByCause = null, int UnattributedDominant = 0);

    /// <summary>One drive's line.</summary>
    public sealed record DriveRow(string Drive, string Status, int Events, int? CompareEvents, IReadOnlyList<string> Causes, string? Report, string? Error);

    /// <summary>Computes the numbers.</summary>
    public static Numbers Compute(FleetJobSpec spec, IReadOnlyList<DriveState> drives)
    {
        var done = drives.Where(d => d.Status == DriveStatus.Done && d.Summary is not null).ToList();
        var events = done.SelectMany(d => d.Summary!.Events).ToList();
        var byCause = events.GroupBy(e => e.Cause ?? "unattributed").OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        var drivesByCause = done.SelectMany(d => d.Summary!.Events.Select(e => e.Cause ?? "unattributed").Distinct()).GroupBy(c => c)
            .OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
        int? compareEvents = spec.Compare is null ? null : done.Sum(d => d.Summary!.CompareEvents ?? 0);
        var rows = drives.Select(d => new DriveRow(d.Drive.Id, d.Status.ToString().ToLowerInvariant(), d.Summary?.Events.Count ?? 0, d.Summary?.CompareEvents,
                                                   d.Summary?.Events.Select(e => e.Cause ?? "unattributed").ToArray() ?? [], d.Summary?.Report, d.Error)).ToList();
        return new Numbers(spec.JobId, Path.GetFileName(spec.Model), spec.Compare is null ? null : Path.GetFileName(spec.Compare), spec.EventClass,
                           drives.Count, done.Count, drives.Count(d => d.Status == DriveStatus.Failed), done.Count(d => d.Summary!.Events.Count > 0),
                           events.Count, compareEvents, byCause, drivesByCause, rows,
                           events.Where(e => e.Concentration is not null).GroupBy(e => e.Cause ?? "unattributed")
                                 .ToDictionary(g => g.Key, g => Math.Round(g.Average(e => e.Concentration!.Value), 2)),
                           events.Count(e => e.UnattributedDominates));
    }

    /// <summary>Writes <c>fleet.json</c> and <c>fleet.html</c> into the store; returns the HTML's path.</summary>
    public static string Write(FleetJobSpec spec, IReadOnlyList<DriveState> drives)
    {
        var n = Compute(spec, drives);
        AtomicFile.WriteText(Path.Combine(spec.Store, "fleet.json"), JsonSerializer.Serialize(n,
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }) + "\n");
        string html = Path.Combine(spec.Store, "fleet.html");
        AtomicFile.WriteText(html, Html(n, drives));
        return html;
    }

    /// <summary>One sentence: "the model stopped abruptly 31 times in 20 of 50 drives, 25 times for a red billboard; the compared model 4 times".</summary>
    public static string Answer(Numbers n)
    {
        string causes = string.Join(", ", n.DrivesByCause.Take(3).Select(kv => $"{kv.Value} drive(s) for {kv.Key}"));
        string compare = n.Compare is null ? "" : $"; {n.Compare}: {n.CompareEvents} abrupt '{n.EventClass}' event(s)";
        string failed = n.Failed > 0 ? $" ({n.Failed} drive(s) failed)" : "";
        return $"{n.Model}: {n.Events} abrupt '{n.EventClass}' event(s) in {n.DrivesWithEvents} of {n.Done} drives{failed}" +
               (n.Events > 0 ? $" — {causes}" : "") + compare + ".";
    }

    private static string Html(Numbers n, IReadOnlyList<DriveState> drives)
    {
        string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Fleet: why did the model say '{{E(n.EventClass)}}'? — {{E(n.JobId)}}</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
              .answer { font-size: 1.15em; background: #fff6e0; border-left: 5px solid #e8a400; padding: .8em 1em; }
              table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
              figure { display: inline-block; margin: .4em; } figure img { width: 320px; border: 1px solid #ccc; } .failed { color: #b00020; }
            </style></head><body>
            <h1>Fleet investigation: abrupt '{{E(n.EventClass)}}'</h1>
            <p class="answer" id="answer">{{E(Answer(n))}}</p>
            <p>{{n.Drives}} drives replayed through <b>{{E(n.Model)}}</b>{{(n.Compare is null ? "" : $", compared with <b>{E(n.Compare)}</b>")}}: {{n.Done}} done, {{n.Failed}} failed.</p>
            """);
        html.Append("<h2>Events by attributed cause</h2>").Append(Bars(n.EventsByCause));
        if (n.MeanConcentrationByCause is { Count: > 0 } concentration)
        {
            html.Append("<table id=\"concentration\"><tr><th>cause</th><th>events</th><th>mean concentration</th></tr>");
            foreach (var (cause, count) in n.EventsByCause)
                html.Append($"<tr><td>{E(cause)}</td><td>{count}</td><td>{(concentration.TryGetValue(cause, out double c) ? c.ToString("0.0", Inv) + "×" : "")}</td></tr>");
            html.Append("</table><p>Concentration: the cause's share of the heat over its share of the frame's area (1× is what its size alone explains). ");
            html.Append($"In <b>{n.UnattributedDominant}</b> of {n.Events} event(s) a hot region no object covers holds more heat than the cause.</p>");
        }
        html.Append("<h2>Strongest cases</h2>");
        foreach (var (drive, e) in drives.Where(d => d.Summary is not null).SelectMany(d => d.Summary!.Events.Select(e => (d.Summary!, e)))
                     .OrderByDescending(x => x.e.Probability).Take(6))
            html.Append($"<figure><a href=\"{E(drive.Report)}\"><img src=\"{E(e.OverlayPng)}\" alt=\"Grad-CAM at frame {e.Frame} of {E(drive.DriveId)}\"></a>" +
                        $"<figcaption>{E(drive.DriveId)}, frame {e.Frame}: P = {e.Probability.ToString("0.00", Inv)}, {E(e.Cause ?? "unattributed")}</figcaption></figure>");
        html.Append("<h2>Drives</h2><table><tr><th>drive</th><th>status</th><th>events</th>");
        if (n.Compare is not null) html.Append($"<th>{E(n.Compare)} events</th>");
        html.Append("<th>causes</th></tr>");
        foreach (var r in n.PerDrive)
        {
            string name = r.Report is null ? E(r.Drive) : $"<a href=\"{E(r.Report)}\">{E(r.Drive)}</a>";
            html.Append($"<tr><td>{name}</td><td class=\"{(r.Status == "failed" ? "failed" : "")}\">{E(r.Status)}{(r.Error is null || r.Status != "failed" ? "" : ": " + E(r.Error))}</td><td>{r.Events}</td>");
            if (n.Compare is not null) html.Append($"<td>{r.CompareEvents}</td>");
            html.Append($"<td>{E(string.Join(", ", r.Causes))}</td></tr>");
        }
        html.Append("</table></body></html>\n");
        return html.ToString();
    }

    private static string Bars(IReadOnlyDictionary<string, int> counts)
    {
        if (counts.Count == 0) return "<p>No event.</p>";
        const int W = 900, Row = 26, L = 330;
        int max = counts.Values.Max();
        var svg = new StringBuilder($"<svg id=\"causes\" width=\"{W}\" height=\"{counts.Count * Row + 10}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"events by cause\">");
        int y = 5;
        foreach (var (cause, count) in counts)
        {
            double w = (W - L - 60) * (double)count / max;
            svg.Append($"<text x=\"{L - 8}\" y=\"{y + 17}\" text-anchor=\"end\" font-size=\"13\">{WebUtility.HtmlEncode(cause)}</text>");
            svg.Append($"<rect x=\"{L}\" y=\"{y + 3}\" width=\"{w.ToString("0.0", Inv)}\" height=\"{Row - 8}\" fill=\"#1f5fbf\"/>");
            svg.Append($"<text x=\"{(L + w + 6).ToString("0.0", Inv)}\" y=\"{y + 17}\" font-size=\"13\">{count}</text>");
            y += Row;
        }
        return svg.Append("</svg>").ToString();
    }
}
