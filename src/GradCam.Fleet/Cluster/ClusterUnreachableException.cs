namespace GradCam.Fleet.Cluster;

/// <summary>No silo of a fleet cluster answered a client: no machine serves the cluster yet, or none is reachable.</summary>
public sealed class ClusterUnreachableException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="database">Where its membership lives (<c>host/database</c>).</param>
    /// <param name="waited">How long the client waited.</param>
    /// <param name="inner">The client's own error.</param>
    public ClusterUnreachableException(string clusterId, string database, TimeSpan waited, Exception? inner = null)
        : base($"no silo of fleet cluster '{clusterId}' in {database} answered within {waited.TotalSeconds:0} s (start a silo of the cluster on a machine first)", inner)
    {
        ClusterId = clusterId;
    }

    /// <summary>The cluster.</summary>
    public string ClusterId { get; }
}
