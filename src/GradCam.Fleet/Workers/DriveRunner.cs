using GradCam.Fleet.Jobs;
using GradCam.Models;
using GradCam.Models.Loading;
using GradCam.Video.Investigation;

namespace GradCam.Fleet.Workers;

/// <summary>
/// Investigates one drive as <c>gradcam investigate</c> does, into a folder of the store named after the drive. The
/// outputs are written in a temporary folder and moved into place at the end, so a drive run twice (after a worker
/// died) leaves one complete folder, never a mix.
/// </summary>
/// <param name="registry">The kinds of model a job may name (the silo's <see cref="ModelLoaderRegistry"/> service).</param>
public sealed class DriveRunner(ModelLoaderRegistry registry) : IDriveRunner
{
    private readonly Dictionary<string, ImageClassifier> _models = new(StringComparer.Ordinal);

    /// <summary>Runs the investigation of <paramref name="item"/>'s drive.</summary>
    public async Task<DriveSummary> RunAsync(WorkItem item, CancellationToken token)
    {
        var job = item.Job;
        var drive = item.Drive;
        string final = Path.Combine(job.Store, drive.Id);
        string temp = Path.Combine(job.Store, $".{drive.Id}.{item.Lease:N}.partial");
        Directory.CreateDirectory(job.Store);
        try
        {
            var options = new InvestigationOptions(drive.Video, temp, drive.Truth, job.EventClass) { Thresholds = job.EventThresholds, BatchSize = job.BatchSize };
            var main = Model(job.Model);
            var compare = job.Compare is null ? null : Model(job.Compare);
            var result = await Investigator.RunAsync(options, main, compare, TextWriter.Null, token);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temp, final);
            return Summarise(drive, result);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private ImageClassifier Model(string spec)
    {
        if (!_models.TryGetValue(spec, out var model))
            _models[spec] = model = new ModelSpec(spec) { Device = ComputeDevice.Cpu }.Load(registry);
        return model;
    }

    private static DriveSummary Summarise(FleetDriveSpec drive, Investigator.Result r)
    {
        var events = r.Findings.Select(f =>
        {
            var top = f.Shares is { Count: > 0 } shares ? shares[0] : null;
            string? cause = top is null ? null : top.HoldsPeak ? top.Object.Name : $"outside every object (nearest: {top.Object.Name})";
            double unattributed = f.Unattributed.Select(h => h.HeatShare).DefaultIfEmpty(0).Max();
            return new EventSummary(f.Event.Frame, f.Event.TimeMs, f.Event.Probability, cause, top is { HoldsPeak: true } ? top.Object.Reason : null, f.TruthEvent,
                                    f.CompareProbability, $"{drive.Id}/{f.Event.FramePng}", $"{drive.Id}/{f.Event.OverlayPng}",
                                    top?.Concentration, top is not null && unattributed > top.HeatShare);
        }).ToList();
        // The compared model's events, found by the investigation with the job's thresholds.
        return new DriveSummary(drive.Id, r.Series.Count, events, r.CompareEvents, r.Verdict, $"{drive.Id}/report.html");
    }

    /// <summary>Frees the models.</summary>
    public void Dispose()
    {
        foreach (var model in _models.Values) model.Dispose();
        _models.Clear();
    }
}
