using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GradCam.Fleet.Cluster;

/// <summary>One machine's silo of a fleet cluster on PostgreSQL, with its workers (what <c>gradcam fleet serve</c> runs).</summary>
public static class FleetSilo
{
    /// <summary>
    /// Creates the schema if it is missing and builds the silo's host (start it, and stop it to leave the cluster: its
    /// drives go back to the queue).
    /// </summary>
    public static async Task<IHost> BuildAsync(FleetClusterOptions cluster, Action<FleetOptions>? fleet = null, Action<ILoggingBuilder>? logging = null,
                                               CancellationToken token = default)
    {
        await FleetDatabase.EnsureSchemaAsync(cluster.ConnectionString, token);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.UseOrleans(silo => silo.UseGradCamFleetCluster(cluster).AddGradCamFleet(fleet));
        return builder.Build();
    }
}
