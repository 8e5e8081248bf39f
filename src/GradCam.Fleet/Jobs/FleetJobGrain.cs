using GradCam.Fleet.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GradCam.Fleet.Jobs;

/// <summary>See <see cref="IFleetJobGrain"/>.</summary>
internal sealed class FleetJobGrain(
    [PersistentState("job", FleetStorage.Name)] IPersistentState<FleetJobState> job,
    IOptions<FleetOptions> options, IClusterMembershipService membership, ILogger<FleetJobGrain> log) : Grain, IFleetJobGrain, IRemindable
{
    private const string Watchdog = "watchdog";

    private TimeSpan LeaseTimeout => options.Value.LeaseTimeout;

    private bool Finished => job.State.Drives.Count > 0 && job.State.Drives.All(d => d.Status is DriveStatus.Done or DriveStatus.Failed);

    public async Task Start(FleetJobSpec spec)
    {
        if (job.State.Spec is not null)
        {
            if (job.State.Spec.JobId != spec.JobId) throw new InvalidOperationException($"job {this.GetPrimaryKeyString()} holds another job");
            if (!Finished) await Announce(); // again: the first Start may have failed half-way (the registry's silo died)
            return;
        }
        if (spec.Drives.Count == 0) throw new ArgumentException($"job {spec.JobId} has no drives");
        var ids = spec.Drives.Select(d => d.Id).ToList();
        if (ids.Distinct().Count() != ids.Count) throw new ArgumentException("drive ids must be unique in a job");
        job.State.Spec = spec;
        job.State.Drives = spec.Drives.Select(d => new DriveState { Drive = d, Status = DriveStatus.Pending }).ToList();
        await job.WriteStateAsync();
        await Announce();
    }

    /// <summary>The watchdog on, the job in the registry the workers read (both idempotent).</summary>
    private async Task Announce()
    {
        await this.RegisterOrUpdateReminder(Watchdog, options.Value.WatchdogEvery, options.Value.WatchdogEvery);
        await GrainFactory.GetGrain<IFleetRegistryGrain>(0).Add(job.State.Spec!.JobId);
    }

    public async Task<WorkItem?> Take(string worker, SiloAddress silo)
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
            next.Silo = silo.ToParsableString();
            changed = true;
        }
        if (changed) await job.WriteStateAsync();
        if (next is null && changed) await FinishWhenDone();
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
        await FinishWhenDone();
    }

    public async Task Release(Guid lease)
    {
        var drive = Holding(lease);
        if (drive is null) return;
        drive.Lease = Guid.Empty;
        drive.Attempts--;
        drive.Status = DriveStatus.Pending;
        await job.WriteStateAsync();
    }

    public async Task Fail(Guid lease, string error)
    {
        var drive = Holding(lease);
        if (drive is null) return;
        drive.Error = error;
        drive.Lease = Guid.Empty;
        drive.Status = drive.Attempts >= job.State.Spec!.MaxAttempts ? DriveStatus.Failed : DriveStatus.Pending;
        await job.WriteStateAsync();
        await FinishWhenDone();
    }

    public async Task<JobStatus> Status()
    {
        if (job.State.Spec is { } spec && ExpireLeases(spec)) await job.WriteStateAsync();
        if (Finished && job.State.Report is null) await FinishWhenDone(); // also after a crash between the last drive and the report
        var d = job.State.Drives;
        return new JobStatus(this.GetPrimaryKeyString(), d.Count, d.Count(x => x.Status == DriveStatus.Pending), d.Count(x => x.Status == DriveStatus.Running),
                             d.Count(x => x.Status == DriveStatus.Done), d.Count(x => x.Status == DriveStatus.Failed), job.State.Report, job.State.ReportError);
    }

    public Task<(FleetJobSpec? Spec, IReadOnlyList<DriveState> Drives)> Snapshot() =>
        Task.FromResult<(FleetJobSpec?, IReadOnlyList<DriveState>)>((job.State.Spec, job.State.Drives.ToArray()));

    public async Task<string> WriteReport()
    {
        if (job.State.Spec is not { } spec) throw new InvalidOperationException($"no fleet job '{this.GetPrimaryKeyString()}'");
        var drives = job.State.Drives.ToArray();
        return await Task.Run(() => FleetReport.Write(spec, drives)); // file work off the grain's scheduler
    }

    /// <summary>The watchdog: frees the leases of dead or hung silos even when no worker asks, and finishes the job.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != Watchdog) return;
        if (job.State.Spec is not { } spec) return;
        if (ExpireLeases(spec)) await job.WriteStateAsync();
        if (Finished) await FinishWhenDone();
        else await GrainFactory.GetGrain<IFleetRegistryGrain>(0).Add(spec.JobId); // in case the registry lost it
    }

    private DriveState? Holding(Guid lease) =>
        lease == Guid.Empty ? null : job.State.Drives.FirstOrDefault(d => d.Status == DriveStatus.Running && d.Lease == lease);

    /// <summary>
    /// Leases whose silo Orleans has declared dead, or not renewed in time (a hung silo), go back to the queue, or fail
    /// after the last attempt.
    /// </summary>
    private bool ExpireLeases(FleetJobSpec spec)
    {
        bool changed = false;
        var members = membership.CurrentSnapshot;
        foreach (var d in job.State.Drives.Where(d => d.Status == DriveStatus.Running))
        {
            bool dead = d.Silo is not null && members.GetSiloStatus(SiloAddress.FromParsableString(d.Silo)) == SiloStatus.Dead;
            if (!dead && DateTime.UtcNow - d.Renewed <= LeaseTimeout) continue;
            d.Error = dead ? $"the silo of worker {d.Worker} died" : $"the worker {d.Worker} stopped renewing its lease (its silo hung or died)";
            d.Lease = Guid.Empty;
            d.Status = d.Attempts >= spec.MaxAttempts ? DriveStatus.Failed : DriveStatus.Pending;
            changed = true;
        }
        return changed;
    }

    /// <summary>Once every drive has ended: the report into the store, the job off the registry, the reminder off.</summary>
    private async Task FinishWhenDone()
    {
        if (!Finished) return;
        if (job.State.Report is null)
        {
            try
            {
                job.State.Report = await WriteReport();
                job.State.ReportError = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                job.State.ReportError = e.Message;
                log.LogWarning("fleet job {Job}: the report could not be written ({Error}); the watchdog tries again", job.State.Spec!.JobId, e.Message);
            }
            await job.WriteStateAsync();
            if (job.State.Report is null) return;
        }
        await GrainFactory.GetGrain<IFleetRegistryGrain>(0).Remove(job.State.Spec!.JobId);
        if (await this.GetReminder(Watchdog) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
