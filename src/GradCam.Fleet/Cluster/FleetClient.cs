using GradCam.Fleet.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradCam.Fleet.Cluster;

/// <summary>
/// A connection to a fleet cluster on PostgreSQL: submit a job, follow it, read it back (<c>gradcam fleet
/// submit/status/report</c>). While the cluster recovers from a dead silo (Orleans must declare it dead before the
/// grains it held come back elsewhere), calls are tried again for up to <see cref="Patience"/>.
/// </summary>
public sealed class FleetClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly FleetClusterOptions _cluster;
    private readonly IClusterClient _grains;

    private FleetClient(IHost host, FleetClusterOptions cluster)
    {
        _host = host;
        _cluster = cluster;
        _grains = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>How long a call waits for the cluster to recover.</summary>
    public TimeSpan Patience { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Told once per outage why a call waits.</summary>
    public Action<string>? Waiting { get; set; }

    /// <summary>
    /// Connects through any live silo's gateway, waiting up to <paramref name="wait"/> for one; an
    /// <see cref="IOException"/> says so when none answers.
    /// </summary>
    public static async Task<FleetClient> ConnectAsync(FleetClusterOptions cluster, TimeSpan wait, CancellationToken token = default)
    {
        await FleetDatabase.EnsureSchemaAsync(cluster.ConnectionString, token);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var deadline = DateTime.UtcNow + wait;
        builder.UseOrleansClient(client => client.UseGradCamFleetCluster(cluster).UseConnectionRetryFilter(async (_, t) =>
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(TimeSpan.FromSeconds(1), t);
            return true;
        }));
        var host = builder.Build();
        try
        {
            await host.StartAsync(token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            var db = FleetDatabase.Parse(cluster.ConnectionString);
            throw new ClusterUnreachableException(cluster.ClusterId, $"{db.Host}/{db.Database}", wait, e);
        }
        return new FleetClient(host, cluster);
    }

    /// <summary>Submits a job (submitting the same job again changes nothing).</summary>
    public Task SubmitAsync(FleetJobSpec spec) => Reliably(async () => { await Job(spec.JobId).Start(spec); return true; });

    /// <summary>The jobs with drives still to run.</summary>
    public Task<IReadOnlyList<string>> ActiveJobsAsync() => Reliably(() => _grains.GetGrain<IFleetRegistryGrain>(0).Active());

    /// <summary>A job's progress; an <see cref="InvalidOperationException"/> when the cluster has no such job.</summary>
    public async Task<JobStatus> StatusAsync(string jobId)
    {
        var status = await Reliably(() => Job(jobId).Status());
        if (status.Total == 0) throw new InvalidOperationException($"no fleet job '{jobId}' in cluster '{_cluster.ClusterId}'");
        return status;
    }

    /// <summary>A job's spec and every drive's state.</summary>
    public async Task<(FleetJobSpec Spec, IReadOnlyList<DriveState> Drives)> SnapshotAsync(string jobId)
    {
        var (spec, drives) = await Reliably(() => Job(jobId).Snapshot());
        return (spec ?? throw new InvalidOperationException($"no fleet job '{jobId}' in cluster '{_cluster.ClusterId}'"), drives);
    }

    /// <summary>Writes a job's report into its store from the drives as they stand; returns its path.</summary>
    public Task<string> WriteReportAsync(string jobId) => Reliably(() => Job(jobId).WriteReport());

    private IFleetJobGrain Job(string jobId) => _grains.GetGrain<IFleetJobGrain>(jobId);

    private async Task<T> Reliably<T>(Func<Task<T>> call)
    {
        try
        {
            return await ClusterCalls.RetryAsync(call, Patience, e => Waiting?.Invoke($"the cluster is recovering ({ClusterCalls.FirstLine(e)}); waiting"), CancellationToken.None);
        }
        catch (Exception e) when (ClusterCalls.IsTransient(e))
        {
            throw new IOException($"fleet cluster '{_cluster.ClusterId}' did not recover within {Patience.TotalSeconds:0} s: {ClusterCalls.FirstLine(e)}", e);
        }
    }

    /// <summary>Leaves the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception) { /* the silos may be gone already: nothing is left to tell them */ }
        _host.Dispose();
    }
}
