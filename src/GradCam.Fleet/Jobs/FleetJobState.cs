namespace GradCam.Fleet.Jobs;

/// <summary>What a job grain keeps in storage.</summary>
[GenerateSerializer]
public sealed class FleetJobState
{
    /// <summary>The job, once started.</summary>
    [Id(0)] public FleetJobSpec? Spec { get; set; }

    /// <summary>Every drive's state, in the job's order.</summary>
    [Id(1)] public List<DriveState> Drives { get; set; } = [];

    /// <summary>The fleet report's path, once written.</summary>
    [Id(2)] public string? Report { get; set; }

    /// <summary>Why the report could not be written (the reminder tries again).</summary>
    [Id(3)] public string? ReportError { get; set; }
}
