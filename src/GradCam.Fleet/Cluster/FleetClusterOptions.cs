using System.Net;

namespace GradCam.Fleet.Cluster;

/// <summary>
/// Where a fleet cluster of many machines meets: its PostgreSQL database (membership, reminders, grain state) and how
/// this machine's silo is reached. The same options serve a silo (<c>gradcam fleet serve</c>) and a client
/// (<c>submit</c>, <c>status</c>, <c>report</c>).
/// </summary>
public sealed class FleetClusterOptions
{
    /// <summary>The default cluster id: silos and clients with the same id and database form one cluster.</summary>
    public const string DefaultClusterId = "gradcam-fleet";

    /// <summary>An Npgsql connection string, for example <c>Host=db;Database=fleet;Username=gradcam;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The cluster id (Orleans' ClusterId and ServiceId): several fleets can share one database.</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>The port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (<c>submit</c>, <c>status</c>) talk to the silo on.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other machines reach this silo at; null: this host name's first IPv4 address.</summary>
    public IPAddress? AdvertisedAddress { get; set; }

    /// <summary>Checks the options before a silo or client uses them.</summary>
    /// <exception cref="GradCam.Configuration.SettingException">A value out of range or a connection string that is not one; the exception names it.</exception>
    public void Validate()
    {
        FleetDatabase.Parse(ConnectionString);
        if (ClusterId is not { Length: > 0 and <= 100 })
            throw new GradCam.Configuration.SettingException("FleetClusterOptions.ClusterId", $"cluster id '{ClusterId}': use 1 to 100 characters");
        if (SiloPort is < 1 or > 65535) throw new GradCam.Configuration.SettingException("FleetClusterOptions.SiloPort", $"the silo port must be 1 to 65535, got {SiloPort}");
        if (GatewayPort is < 1 or > 65535) throw new GradCam.Configuration.SettingException("FleetClusterOptions.GatewayPort", $"the gateway port must be 1 to 65535, got {GatewayPort}");
        if (GatewayPort == SiloPort) throw new GradCam.Configuration.SettingException("FleetClusterOptions.GatewayPort", $"the gateway port must differ from the silo port {SiloPort}");
    }
}
