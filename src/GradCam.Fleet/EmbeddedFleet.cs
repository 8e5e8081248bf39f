using GradCam.Fleet.Jobs;
using GradCam.Fleet.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradCam.Fleet;

/// <summary>
/// The fleet on one machine: an in-process Orleans silo on localhost clustering, its grain state in the store, and
/// a number of workers, running one job to its end.
/// </summary>
public static class EmbeddedFleet
{
    /// <summary>Runs <paramref name="spec"/>; reports progress; writes the fleet report into the store and returns its numbers.</summary>
    public static async Task<FleetReport.Numbers> RunAsync(FleetJobSpec spec, int workers, IProgress<JobStatus>? progress = null, CancellationToken token = default)
    {
        spec.Validate();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter(_ => false);
        int port = FreePort(), gateway = FreePort();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: port, gatewayPort: gateway).AddGradCamFleet(o =>
            {
                o.Slots = workers;
                o.PollEvery = TimeSpan.FromMilliseconds(100); // one machine: asking the local job grain is cheap
            });
            silo.UseFleetFolderState(Path.Combine(spec.Store, ".fleet-state")); // the job outlives a crash: run it again to resume
        });
        using var host = builder.Build();
        await host.StartAsync(token);
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var job = grains.GetGrain<IFleetJobGrain>(spec.JobId);
            await job.Start(spec);
            JobStatus status;
            while (!(status = await job.Status()).Finished)
            {
                progress?.Report(status);
                await Task.Delay(100, token);
            }
            progress?.Report(status);
            if (status.Report is null) throw new IOException($"the fleet report could not be written: {status.ReportError}");
            var (_, drives) = await job.Snapshot();
            return FleetReport.Compute(spec, drives); // the job wrote its report when its last drive ended
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
