using GradCam.Video.Investigation;
using Xunit;

namespace GradCam.Video.Tests.Investigation;

public class EventDetectorTests
{
    private static int[] Events(params double[] series)
    {
        var d = new EventDetector { Thresholds = new(0.6, 0.4, 3) };
        return series.Select((p, i) => (p, i)).Where(x => d.Next(x.p)).Select(x => x.i).ToArray();
    }

    [Fact]
    public void AnOnsetAfterACalmRunIsAnEvent() =>
        Assert.Equal([4], Events(0.1, 0.1, 0.1, 0.2, 0.9, 0.95, 0.9));

    [Fact]
    public void ARiseThroughTheBandStillCounts() =>
        Assert.Equal([5], Events(0.1, 0.1, 0.1, 0.45, 0.55, 0.8));

    [Fact]
    public void NoEventWithoutCalmFirstAndNoRepeatWhileActive()
    {
        Assert.Empty(Events(0.1, 0.9, 0.9));                           // only one calm frame before
        Assert.Equal([3], Events(0.1, 0.1, 0.1, 0.9, 0.5, 0.9, 0.55));  // wobbling above Off stays one event
        Assert.Equal([3, 8], Events(0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.2, 0.7));
    }
}
