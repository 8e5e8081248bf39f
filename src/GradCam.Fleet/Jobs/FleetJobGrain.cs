using Microsoft.Extensions.Options;

namespace GradCam.Fleet.Jobs;

/// <summary>See <see cref="IFleetJobGrain"/>.</summary>
internal sealed class FleetJobGrain(
    [PersistentState("job", FleetStorage.Name)] IPersistentState<FleetJobState> job,
    IOptions<FleetOptions> options) : Grain, IFleetJobGrain
{
    private TimeSpan LeaseTimeout => options.Value.LeaseTimeout;

    public async Task Start(FleetJobSpec spec)
    {
        if (job.State.Spec is not null)
        {
            if (job.State.Spec.JobId != spec.JobId) throw new InvalidOperationException($"job {this.GetPrimaryKeyString()} holds another job");
            return;
        }
        var ids = spec.Drives.Select(d => d.Id).ToList();
        if (ids.Distinct().Count() != ids.Count) throw new ArgumentException("drive ids must be unique in a job");
        job.State.Spec = spec;
        job.State.Drives = spec.Drives.Select(d => new DriveState { Drive = d, Status = DriveStatus.Pending }).ToList();
        await job.WriteStateAsync();
        await GrainFactory.GetGrain<IFleetRegistryGrain>(0).Add(spec.JobId);
    }

    public async Task<WorkItem?> Take(string worker)
    {
        if (job.State.Spec is not { } spec) return null;
        bool changed = ExpireLeases(spec);
        var next = job.State.Drives.FirstOrDefault(d => d.Status == DriveStatus.Pending);
        if (next is not null)
        {
            next.Status = DriveStatus.Running;
            next.Attempts++;
            next.Lease = Guid.NewGuid();
            next.Renewed = DateTime.UtcNow;
            next.Worker = worker;
            changed = true;
        }
        if (changed) await job.WriteStateAsync();
        return next is null ? null : new WorkItem(spec, next.Drive, next.Lease, next.Attempts);
    }

    public Task<bool> Renew(Guid lease)
    {
        var drive = Holding(lease);
        if (drive is null) return Task.FromResult(false);
        drive.Renewed = DateTime.UtcNow; // kept in memory only: a restarted grain gives running drives a fresh timeout
        return Task.FromResult(true);
    }

    public async Task Complete(Guid lease, DriveSummary summary)
    {
        var drive = Holding(lease);
        if (drive is null) return; // a stale lease: the drive went to another worker, whose result counts
        drive.Status = DriveStatus.Done;
        drive.Summary = summary;
        drive.Error = null;
        drive.Lease = Guid.Empty;
        await job.WriteStateAsync();
        await UnregisterWhenFinished();
    }

    public async Task Fail(Guid lease, string error)
    {
        var drive = Holding(lease);
        if (drive is null) return;
        drive.Error = error;
        drive.Lease = Guid.Empty;
        drive.Status = drive.Attempts >= job.State.Spec!.MaxAttempts ? DriveStatus.Failed : DriveStatus.Pending;
        await job.WriteStateAsync();
        await UnregisterWhenFinished();
    }

    public async Task<JobStatus> Status()
    {
        if (job.State.Spec is { } spec && ExpireLeases(spec)) await job.WriteStateAsync();
        var d = job.State.Drives;
        return new JobStatus(this.GetPrimaryKeyString(), d.Count, d.Count(x => x.Status == DriveStatus.Pending), d.Count(x => x.Status == DriveStatus.Running),
                             d.Count(x => x.Status == DriveStatus.Done), d.Count(x => x.Status == DriveStatus.Failed));
    }

    public Task<(FleetJobSpec? Spec, IReadOnlyList<DriveState> Drives)> Snapshot() =>
        Task.FromResult<(FleetJobSpec?, IReadOnlyList<DriveState>)>((job.State.Spec, job.State.Drives.ToArray()));

    private DriveState? Holding(Guid lease) =>
        lease == Guid.Empty ? null : job.State.Drives.FirstOrDefault(d => d.Status == DriveStatus.Running && d.Lease == lease);

    /// <summary>Leases not renewed in time (a dead or hung silo) go back to the queue, or fail after the last attempt.</summary>
    private bool ExpireLeases(FleetJobSpec spec)
    {
        bool changed = false;
        foreach (var d in job.State.Drives.Where(d => d.Status == DriveStatus.Running && DateTime.UtcNow - d.Renewed > LeaseTimeout))
        {
            d.Error = $"the worker {d.Worker} stopped renewing its lease (its silo died or hung)";
            d.Lease = Guid.Empty;
            d.Status = d.Attempts >= spec.MaxAttempts ? DriveStatus.Failed : DriveStatus.Pending;
            changed = true;
        }
        return changed;
    }

    private async Task UnregisterWhenFinished()
    {
        if (job.State.Drives.All(d => d.Status is DriveStatus.Done or DriveStatus.Failed))
            await GrainFactory.GetGrain<IFleetRegistryGrain>(0).Remove(job.State.Spec!.JobId);
    }
}
