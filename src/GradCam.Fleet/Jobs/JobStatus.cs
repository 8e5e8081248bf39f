namespace GradCam.Fleet.Jobs;

/// <summary>A job's progress.</summary>
[GenerateSerializer, Immutable]
public sealed record JobStatus(string JobId, int Total, int Pending, int Running, int Done, int Failed)
{
    /// <summary>Whether every drive is done or failed.</summary>
    public bool Finished => Total > 0 && Done + Failed == Total;
}
