namespace GradCam.Fleet.Jobs;

/// <summary>
/// A fleet job (keyed by its id): holds every drive's state and hands drives to workers under leases. Being one grain,
/// it serialises every change: a drive is given to one worker at a time and counted once. A lease not renewed within
/// the lease timeout (its silo died, or hangs) returns the drive to the queue; a drive that fails
/// <see cref="FleetJobSpec.MaxAttempts"/> times is failed with its last error, and the job still finishes.
/// </summary>
public interface IFleetJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job (again with the same spec: nothing changes).</summary>
    Task Start(FleetJobSpec spec);

    /// <summary>The next drive to run, under a lease; null when none is waiting.</summary>
    Task<WorkItem?> Take(string worker);

    /// <summary>Keeps a lease alive; false when it is no longer the drive's (expired and given to another worker).</summary>
    Task<bool> Renew(Guid lease);

    /// <summary>A drive is done; ignored when the lease is stale (its drive was given to another worker since).</summary>
    Task Complete(Guid lease, DriveSummary summary);

    /// <summary>A drive failed under this lease.</summary>
    Task Fail(Guid lease, string error);

    /// <summary>The progress.</summary>
    Task<JobStatus> Status();

    /// <summary>The spec and every drive's state.</summary>
    Task<(FleetJobSpec? Spec, IReadOnlyList<DriveState> Drives)> Snapshot();
}
