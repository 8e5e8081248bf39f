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
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Slots)).Select(slot => Task.Run(() => Loop(slot, stoppingToken), stoppingToken)));

    private async Task Loop(int slot, CancellationToken token)
    {
        string worker = $"{silo.SiloAddress}/{slot}";
        using var runner = services.GetRequiredService<IDriveRunner>(); // one per slot: it keeps its models
        while (!token.IsCancellationRequested)
        {
            WorkItem? item = null;
            try
            {
                foreach (string jobId in await grains.GetGrain<IFleetRegistryGrain>(0).Active())
                    if ((item = await grains.GetGrain<IFleetJobGrain>(jobId).Take(worker)) is not null) break;
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                log.LogWarning(e, "fleet worker {Worker} could not reach the jobs", worker);
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
                catch (Exception e) { log.LogWarning(e, "fleet worker {Worker} could not renew its lease", worker); }
            }
        });
        try
        {
            var summary = await runner.RunAsync(item, lost.Token);
            await job.Complete(item.Lease, summary);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // Stopped (the silo shuts down) or the lease was lost: the drive goes back to the queue by itself.
        }
        catch (Exception e)
        {
            log.LogWarning("fleet drive {Drive} failed on {Worker} (attempt {Attempt}): {Error}", item.Drive.Id, worker, item.Attempt, e.Message);
            try { await job.Fail(item.Lease, e.Message.Split('\n')[0]); }
            catch (Exception report) { log.LogWarning(report, "fleet worker {Worker} could not report a failure", worker); }
        }
        finally
        {
            lost.Cancel();
            await renewing;
        }
    }
}
