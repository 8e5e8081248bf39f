namespace GradCam.Fleet.Jobs;

/// <summary>
/// A fleet job (keyed by its id): holds every drive's state and hands drives to workers under leases. Being one grain,
/// it serialises every change: a drive is given to one worker at a time and counted once. A lease not renewed within
/// the lease timeout (its silo died, or hangs) returns the drive to the queue; a drive that fails
/// <see cref="FleetJobSpec.MaxAttempts"/> times is failed with its last error, and the job still finishes. When the last
/// drive ends the job writes its report into the store. A durable reminder (the watchdog) wakes it on any silo to free
/// the drives of dead silos even when no worker is left asking, so the silos need a reminder service.
/// </summary>
public interface IFleetJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job (again with the same spec: nothing changes).</summary>
    Task Start(FleetJobSpec spec);

    /// <summary>The next drive to run, under a lease, for a worker of <paramref name="silo"/>; null when none is waiting.</summary>
    Task<WorkItem?> Take(string worker, SiloAddress silo);

    /// <summary>Keeps a lease alive; false when it is no longer the drive's (expired and given to another worker).</summary>
    Task<bool> Renew(Guid lease);

    /// <summary>A drive is done; ignored when the lease is stale (its drive was given to another worker since).</summary>
    Task Complete(Guid lease, DriveSummary summary);

    /// <summary>The worker gives the drive back unfinished (its silo is stopping): it waits for another, the attempt not counted.</summary>
    Task Release(Guid lease);

    /// <summary>A drive failed under this lease.</summary>
    Task Fail(Guid lease, string error);

    /// <summary>The progress.</summary>
    Task<JobStatus> Status();

    /// <summary>The spec and every drive's state.</summary>
    Task<(FleetJobSpec? Spec, IReadOnlyList<DriveState> Drives)> Snapshot();

    /// <summary>Writes the fleet report (fleet.html, fleet.json) into the store from the drives as they stand; returns its path.</summary>
    Task<string> WriteReport();
}
