namespace GradCam.Fleet.Jobs;

/// <summary>What a job grain keeps in storage.</summary>
[GenerateSerializer]
public sealed class FleetJobState
{
    /// <summary>The job, once started.</summary>
    [Id(0)] public FleetJobSpec? Spec { get; set; }

    /// <summary>Every drive's state, in the job's order.</summary>
    [Id(1)] public List<DriveState> Drives { get; set; } = [];
}
