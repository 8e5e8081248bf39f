namespace GradCam.Fleet.Jobs;

/// <summary>A drive handed to a worker under a lease: the worker renews it while it works and returns it with the outcome.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkItem(FleetJobSpec Job, FleetDriveSpec Drive, Guid Lease, int Attempt);
