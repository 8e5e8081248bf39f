namespace GradCam.Fleet.Jobs;

/// <summary>
/// A fleet investigation: the drives, the model (and an optional model to compare), the event class, and the output
/// store, a folder every machine sees where each drive's outputs land in a folder of its own.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FleetJobSpec(string JobId, IReadOnlyList<FleetDriveSpec> Drives, string Model, string? Compare, string EventClass, string Store,
                                  double On = 0.6, double Off = 0.4, int MinQuietFrames = 15, int BatchSize = 4, int MaxAttempts = 3);
