namespace GradCam.Fleet;

/// <summary>The grain storage the fleet's grains keep their state in (memory for one machine, ADO.NET for a cluster).</summary>
public static class FleetStorage
{
    /// <summary>Its provider name.</summary>
    public const string Name = "fleet";
}
