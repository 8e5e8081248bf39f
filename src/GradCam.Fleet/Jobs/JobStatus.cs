namespace GradCam.Fleet.Jobs;

/// <summary>A job's progress, and its report once every drive has ended.</summary>
[GenerateSerializer, Immutable]
public sealed record JobStatus(string JobId, int Total, int Pending, int Running, int Done, int Failed, string? Report = null, string? ReportError = null)
{
    /// <summary>Whether every drive is done or failed.</summary>
    public bool Finished => Total > 0 && Done + Failed == Total;

    /// <summary>One line: "7 done, 1 failed, 2 running, 2 waiting of 12".</summary>
    public override string ToString() => $"{Done} done, {Failed} failed, {Running} running, {Pending} waiting of {Total}";
}
