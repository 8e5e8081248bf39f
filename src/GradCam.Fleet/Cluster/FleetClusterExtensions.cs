using Orleans.Configuration;

namespace GradCam.Fleet.Cluster;

/// <summary>
/// A fleet of many machines on PostgreSQL: Orleans' ADO.NET clustering (who is alive), reminders (the jobs' watchdogs)
/// and grain storage (the jobs) all in the database of <see cref="FleetClusterOptions.ConnectionString"/>, whose tables
/// <see cref="FleetDatabase.EnsureSchemaAsync"/> creates.
/// </summary>
public static class FleetClusterExtensions
{
    /// <summary>Makes this silo a member of the fleet cluster; add the workers with <see cref="FleetSiloBuilderExtensions.AddGradCamFleet"/>.</summary>
    public static ISiloBuilder UseGradCamFleetCluster(this ISiloBuilder silo, FleetClusterOptions cluster)
    {
        cluster.Validate();
        string connection = FleetDatabase.Parse(cluster.ConnectionString).ConnectionString;
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
        silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (FleetDatabase.Invariant, connection));
        silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (FleetDatabase.Invariant, connection));
        silo.AddAdoNetGrainStorage(FleetStorage.Name, o => (o.Invariant, o.ConnectionString) = (FleetDatabase.Invariant, connection));
        if (cluster.AdvertisedAddress is { } address)
            silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        else
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        return silo;
    }

    /// <summary>Connects this client to the fleet cluster through the gateways listed in its database.</summary>
    public static IClientBuilder UseGradCamFleetCluster(this IClientBuilder client, FleetClusterOptions cluster)
    {
        string connection = FleetDatabase.Parse(cluster.ConnectionString).ConnectionString;
        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
        client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (FleetDatabase.Invariant, connection));
        return client;
    }
}
