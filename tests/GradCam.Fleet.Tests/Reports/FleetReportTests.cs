using GradCam.Fleet.Jobs;
using GradCam.Fleet.Reports;
using Xunit;

namespace GradCam.Fleet.Tests.Reports;

/// <summary>The fleet report's aggregates of the attribution numbers, on hand-made drive summaries.</summary>
public sealed class FleetReportTests
{
    private static EventSummary Event(string cause, double concentration, bool unattributed) =>
        new(10, 1000, 0.8, cause, false, false, null, "f.png", "o.png", concentration, unattributed);

    [Fact]
    public void Mean_concentration_per_cause_and_how_often_unattributed_heat_dominates()
    {
        var spec = new FleetJobSpec("job", [new("a", "a.mp4", null), new("b", "b.mp4", null)], "shortcut.gcm", null, "stop", "store");
        var drives = new[]
        {
            new DriveState { Drive = spec.Drives[0], Status = DriveStatus.Done, Summary = new DriveSummary("a", 100, [Event("red billboard", 6, false), Event("stop sign", 3, true)], null, "v", "a/report.html") },
            new DriveState { Drive = spec.Drives[1], Status = DriveStatus.Done, Summary = new DriveSummary("b", 100, [Event("red billboard", 4, true)], null, "v", "b/report.html") },
        };
        var n = FleetReport.Compute(spec, drives);
        Assert.Equal(5.0, n.MeanConcentrationByCause!["red billboard"]);
        Assert.Equal(3.0, n.MeanConcentrationByCause["stop sign"]);
        Assert.Equal(2, n.UnattributedDominant);
        Assert.Equal(3, n.Events);
    }
}
