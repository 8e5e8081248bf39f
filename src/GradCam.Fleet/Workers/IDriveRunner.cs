using GradCam.Fleet.Jobs;

namespace GradCam.Fleet.Workers;

/// <summary>What a worker slot does with a drive: <see cref="DriveRunner"/> investigates it; a benchmark may simulate the work.</summary>
public interface IDriveRunner : IDisposable
{
    /// <summary>Processes the drive of <paramref name="item"/> and returns its summary.</summary>
    Task<DriveSummary> RunAsync(WorkItem item, CancellationToken token);
}
