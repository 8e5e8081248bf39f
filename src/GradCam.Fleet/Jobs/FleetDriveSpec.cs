namespace GradCam.Fleet.Jobs;

/// <summary>One drive of a job: its id (unique in the job), its video and its optional ground truth, as every machine sees them.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetDriveSpec(string Id, string Video, string? Truth);
