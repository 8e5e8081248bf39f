using GradCam.Fleet.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradCam.Fleet.Workers;

/// <summary>
/// A silo's workers: <see cref="FleetOptions.Slots"/> loops that each take a drive from an active job, renew its lease
/// while investigating it, and return the outcome (or the error). Drives are pulled, so a silo that joins takes work at
/// once and a silo that dies simply stops renewing.
/// </summary>
internal sealed class FleetWorker(IGrainFactory grains, IOptions<FleetOptions> options, ILocalSiloDetails silo, IServiceProvider services,
                                  ILogger<FleetWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Slots).Select(slot => Task.Run(() => Loop(slot, stoppingToken), stoppingToken)));

    private async Task Loop(int slot, CancellationToken token)
    {
        string worker = $"{silo.SiloAddress}/{slot}";
        using var runner = services.GetRequiredService<IDriveRunner>(); // one per slot: it keeps its models
        bool unreachable = false;
        while (!token.IsCancellationRequested)
        {
            WorkItem? item = null;
            try
            {
                foreach (string jobId in await grains.GetGrain<IFleetRegistryGrain>(0).Active())
                    if ((item = await grains.GetGrain<IFleetJobGrain>(jobId).Take(worker, silo.SiloAddress)) is not null) break;
                if (unreachable) log.LogInformation("fleet worker {Worker} reaches the jobs again", worker);
                unreachable = false;
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                // Once per outage: while Orleans declares a dead silo dead, calls to the grains it held fail for a while.
                if (!unreachable) log.LogWarning("fleet worker {Worker} cannot reach the jobs, trying again: {Error}", worker, ClusterCalls.FirstLine(e));
                unreachable = true;
            }
            if (item is null)
            {
                try { await Task.Delay(options.Value.PollEvery, token); } catch (OperationCanceledException) { }
                continue;
            }
            await Run(item, runner, worker, token);
        }
    }

    private async Task Run(WorkItem item, IDriveRunner runner, string worker, CancellationToken token)
    {
        var job = grains.GetGrain<IFleetJobGrain>(item.Job.JobId);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(token);
        // The lease is renewed while the drive runs; losing it (expired, given away) abandons the drive.
        var renewing = Task.Run(async () =>
        {
            while (!lost.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(options.Value.RenewEvery, lost.Token);
                    if (!await job.Renew(item.Lease)) lost.Cancel();
                }
                catch (OperationCanceledException) { }
                catch (Exception e) { log.LogWarning("fleet worker {Worker} could not renew its lease: {Error}", worker, ClusterCalls.FirstLine(e)); }
            }
        });
        DriveSummary? summary = null;
        string? error = null;
        try
        {
            log.LogInformation("fleet drive {Drive} of job {Job}: started on {Worker} (attempt {Attempt})", item.Drive.Id, item.Job.JobId, worker, item.Attempt);
            summary = await runner.RunAsync(item, lost.Token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The silo is stopping: the drive goes back to the queue at once, this attempt not counted.
            await Reliably(() => job.Release(item.Lease), $"giving back drive {item.Drive.Id}", worker, TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // The lease was lost (expired, given to another worker): that worker's result counts.
        }
        catch (Exception e)
        {
            error = ClusterCalls.FirstLine(e);
            log.LogWarning("fleet drive {Drive} failed on {Worker} (attempt {Attempt}): {Error}", item.Drive.Id, worker, item.Attempt, error);
        }
        finally
        {
            lost.Cancel();
            await renewing;
        }
        // The outcome is the drive's own: a call that fails on its way (the job's silo died) is tried again, never
        // counted against the drive. A result that arrives after the lease expired is ignored by the job.
        var patience = options.Value.LeaseTimeout * 2;
        if (summary is not null && await Reliably(() => job.Complete(item.Lease, summary), $"reporting drive {item.Drive.Id}", worker, patience, CancellationToken.None))
            log.LogInformation("fleet drive {Drive} of job {Job}: done on {Worker}, {Events} event(s)", item.Drive.Id, item.Job.JobId, worker, summary.Events.Count);
        if (error is not null) await Reliably(() => job.Fail(item.Lease, error), $"reporting the failure of drive {item.Drive.Id}", worker, patience, CancellationToken.None);
    }

    /// <summary>Makes a grain call, again every second while the cluster cannot take it, for at most <paramref name="patience"/>.</summary>
    private async Task<bool> Reliably(Func<Task> call, string what, string worker, TimeSpan patience, CancellationToken token)
    {
        try
        {
            await ClusterCalls.RetryAsync(async () => { await call(); return true; }, patience,
                                          e => log.LogWarning("fleet worker {Worker}: {What} waits for the cluster: {Error}", worker, what, ClusterCalls.FirstLine(e)), token);
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            log.LogWarning("fleet worker {Worker}: {What} failed: {Error}", worker, what, ClusterCalls.FirstLine(e));
            return false;
        }
    }
}
