namespace GradCam.Fleet.Jobs;

/// <summary>The jobs workers look for drives in (one registry per cluster, key 0).</summary>
public interface IFleetRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a job.</summary>
    Task Add(string jobId);

    /// <summary>Removes a finished job.</summary>
    Task Remove(string jobId);

    /// <summary>The jobs with drives to run.</summary>
    Task<IReadOnlyList<string>> Active();
}
