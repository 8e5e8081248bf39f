namespace GradCam.Fleet.Jobs;

/// <summary>Where a drive of a job stands.</summary>
[GenerateSerializer]
public enum DriveStatus
{
    /// <summary>Waiting for a worker.</summary>
    Pending,

    /// <summary>A worker holds its lease.</summary>
    Running,

    /// <summary>Investigated; its summary is final.</summary>
    Done,

    /// <summary>Failed as many times as the job allows; its last error is kept.</summary>
    Failed,
}

/// <summary>A drive's state in its job: status, attempts, the current lease, the outcome or the last error.</summary>
[GenerateSerializer]
public sealed class DriveState
{
    /// <summary>The drive.</summary>
    [Id(0)] public FleetDriveSpec Drive { get; set; } = null!;

    /// <summary>Its status.</summary>
    [Id(1)] public DriveStatus Status { get; set; }

    /// <summary>Leases given so far.</summary>
    [Id(2)] public int Attempts { get; set; }

    /// <summary>The lease of the worker running it.</summary>
    [Id(3)] public Guid Lease { get; set; }

    /// <summary>When the lease was last renewed (UTC).</summary>
    [Id(4)] public DateTime Renewed { get; set; }

    /// <summary>Who holds the lease.</summary>
    [Id(5)] public string? Worker { get; set; }

    /// <summary>The outcome, once done.</summary>
    [Id(6)] public DriveSummary? Summary { get; set; }

    /// <summary>The last error.</summary>
    [Id(7)] public string? Error { get; set; }

    /// <summary>The silo of the worker holding the lease (Orleans' parsable address): its death frees the drive at once.</summary>
    [Id(8)] public string? Silo { get; set; }
}
