using GradCam.Configuration;
using GradCam.Fleet.Cluster;
using GradCam.Fleet.Jobs;
using GradCam.Video.Investigation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace GradCam.Fleet.Tests;

/// <summary>The fleet's options are checked by the library, each error naming its setting (the CLI words it with its flag).</summary>
public sealed class FleetOptionsTests
{
    private static FleetJobSpec Job(string id = "job-1", int attempts = 3, EventThresholds? thresholds = null) =>
        new(id, [new FleetDriveSpec("d1", "d1.mp4", null)], "model.gcm", null, "stop", "store", thresholds, MaxAttempts: attempts);

    [Fact]
    public async Task ASiloWithNoSlotsDoesNotStart()
    {
        // It used to be clamped to one slot silently; now Orleans runs the fleet's validator when the silo starts.
        string store = Directory.CreateTempSubdirectory("gradcam-fleet-options-").FullName;
        try
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => EmbeddedFleet.RunAsync(Job() with { Store = store }, workers: 0));
            var setting = Assert.IsType<SettingException>(Chain(e).OfType<SettingException>().FirstOrDefault(), exactMatch: true);
            Assert.Equal("FleetOptions.Slots", setting.Setting);
            Assert.Contains("1 to 256 slots, got 0", setting.Message);
        }
        finally { Directory.Delete(store, recursive: true); }
    }

    [Fact]
    public void EveryFleetOptionIsCheckedAndNamed()
    {
        FleetOptionsValidator.Validate(new FleetOptions()); // the defaults are valid
        Assert.Equal("FleetOptions.Slots", Assert.Throws<SettingException>(() => FleetOptionsValidator.Validate(new FleetOptions { Slots = 300 })).Setting);
        Assert.Equal("FleetOptions.LeaseTimeout", Assert.Throws<SettingException>(() =>
            FleetOptionsValidator.Validate(new FleetOptions { LeaseTimeout = TimeSpan.FromSeconds(5), RenewEvery = TimeSpan.FromSeconds(5) })).Setting);
        Assert.Equal("FleetOptions.PollEvery", Assert.Throws<SettingException>(() => FleetOptionsValidator.Validate(new FleetOptions { PollEvery = TimeSpan.Zero })).Setting);
    }

    [Fact]
    public void AJobIsCheckedBeforeItIsSubmitted()
    {
        Job().Validate();
        Assert.Equal("FleetJobSpec.JobId", Assert.Throws<SettingException>(() => Job(id: "no spaces").Validate()).Setting);
        Assert.Equal("FleetJobSpec.MaxAttempts", Assert.Throws<SettingException>(() => Job(attempts: 0).Validate()).Setting);
        Assert.Equal("FleetJobSpec.Drives", Assert.Throws<SettingException>(() => (Job() with { Drives = [] }).Validate()).Setting);
        Assert.Equal("EventThresholds.Off", Assert.Throws<SettingException>(() => Job(thresholds: new(0.5, 0.7)).Validate()).Setting);
        Assert.Equal(EventThresholds.Default, Job().EventThresholds);
    }

    [Fact]
    public void ClusterOptionsAreCheckedWithoutFlags()
    {
        var ok = new FleetClusterOptions { ConnectionString = "Host=db;Database=fleet" };
        ok.Validate();
        var garbage = Assert.Throws<SettingException>(() => new FleetClusterOptions { ConnectionString = "this is not one" }.Validate());
        Assert.Equal("FleetClusterOptions.ConnectionString", garbage.Setting);
        Assert.DoesNotContain("--", garbage.Message);
        Assert.Equal("FleetClusterOptions.GatewayPort", Assert.Throws<SettingException>(() =>
            new FleetClusterOptions { ConnectionString = "Host=db;Database=fleet", SiloPort = 5000, GatewayPort = 5000 }.Validate()).Setting);
    }

    [Fact]
    public void AJobsThresholdsTravelBetweenSilos()
    {
        // EventThresholds is GradCam.Video's and knows nothing of Orleans: a surrogate carries it.
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(FleetJobSpec).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var spec = Job(thresholds: new(0.7, 0.2, 9));
        var copy = serializer.Deserialize<FleetJobSpec>(serializer.SerializeToArray(spec))!;
        Assert.Equal(new EventThresholds(0.7, 0.2, 9), copy.Thresholds);
        Assert.Null(serializer.Deserialize<FleetJobSpec>(serializer.SerializeToArray(Job()))!.Thresholds);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a) foreach (var inner in a.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
