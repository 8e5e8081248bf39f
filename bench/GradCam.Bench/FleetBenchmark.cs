using System.Diagnostics;
using GradCam.Dashcam.World;
using GradCam.Fleet;
using GradCam.Fleet.Jobs;
using GradCam.Fleet.Workers;
using GradCam.Models;
using GradCam.Video.Investigation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace GradCam.Bench;

/// <summary>
/// The fleet's cost: (1) its overhead, <c>fleet run --workers 1</c> against investigating the same drives one after
/// another in one run; (2) coordination at scale, simulated honestly on 2 cores: workers whose "inference" is a
/// calibrated sleep, 1 to 32 silos in one Orleans test cluster, drives per second against the ideal. Writes bench/results/fleet.json.
/// </summary>
internal static class FleetBenchmark
{
    public sealed record Overhead(int Drives, double Seconds, double PlainSeconds, double FleetSeconds, double FleetOverPlain);

    public sealed record ScalePoint(int Silos, int Drives, int SleepMs, double DrivesPerSecond, double IdealDrivesPerSecond, double Efficiency);

    public sealed record Results(Overhead Overhead, IReadOnlyList<ScalePoint> Scale, string Note);

    public static Results Run(string resultsDir, bool quick)
    {
        string dir = Directory.CreateTempSubdirectory("gradcam-fleet-bench-").FullName;
        try
        {
            var overhead = MeasureOverhead(dir, drives: quick ? 2 : 12, seconds: quick ? 4 : 20);
            var scale = new List<ScalePoint>();
            foreach (int silos in quick ? new[] { 1, 4 } : new[] { 1, 2, 4, 8, 16, 32 })
                scale.Add(MeasureScale(silos, sleepMs: 500, drivesPerSilo: quick ? 4 : 12));
            var results = new Results(overhead, scale,
                "Scale: in-process silos on one 2-core machine, each with one worker whose inference is a 500 ms sleep; the ideal is silos / 0.5 s.");
            EngineBenchmark.Write(Path.Combine(resultsDir, "fleet.json"), results);
            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Overhead MeasureOverhead(string dir, int drives, int seconds)
    {
        string fleetDir = Path.Combine(dir, "fleet");
        FleetRecorder.Record(fleetDir, drives, seed: 21, seconds: seconds);
        var list = FleetManifest.Read(fleetDir);
        string model = Path.Combine(AppContext.BaseDirectory, "models", "shortcut.gcm");
        int round = 0;
        void Plain()
        {
            using var m = ModelPackage.Load(model);
            foreach (var d in list)
                Investigator.RunAsync(new InvestigationOptions(d.Video, Path.Combine(dir, $"plain-{round}", d.Id), d.Truth), m, null, TextWriter.Null).GetAwaiter().GetResult();
            round++;
        }
        void Fleet()
        {
            var spec = new FleetJobSpec($"bench-{round}", list, model, null, "stop", Path.Combine(dir, $"store-{round}"));
            EmbeddedFleet.RunAsync(spec, workers: 1).GetAwaiter().GetResult();
            round++;
        }
        Console.Error.Write($"  fleet overhead: {drives} drives of {seconds} s, plain investigations vs fleet run --workers 1 ... ");
        var ms = Stopwatches.Interleaved(warmup: 0, rounds: 2, Plain, Fleet);
        var r = new Overhead(drives, seconds, Math.Round(ms[0] / 1000, 2), Math.Round(ms[1] / 1000, 2), Math.Round(ms[1] / ms[0], 3));
        Console.Error.WriteLine($"plain {r.PlainSeconds} s, fleet {r.FleetSeconds} s ({r.FleetOverPlain}x)");
        return r;
    }

    /// <summary>A worker that sleeps instead of investigating: the coordination cost alone.</summary>
    private sealed class SleepRunner : IDriveRunner
    {
        public static int SleepMs = 500;

        public async Task<DriveSummary> RunAsync(WorkItem item, CancellationToken token)
        {
            await Task.Delay(SleepMs, token);
            return new DriveSummary(item.Drive.Id, 0, [], null, "simulated", "");
        }

        public void Dispose() { }
    }

    public sealed class SleepSilo : ISiloConfigurator
    {
        public static string State = "";

        public void Configure(ISiloBuilder silo)
        {
            silo.UseFleetFolderState(State);
            silo.Services.AddTransient<IDriveRunner, SleepRunner>();
            silo.AddGradCamFleet(o => { o.Slots = 1; o.PollEvery = TimeSpan.FromMilliseconds(50); o.RenewEvery = TimeSpan.FromSeconds(5); });
        }
    }

    private static ScalePoint MeasureScale(int silos, int sleepMs, int drivesPerSilo)
    {
        SleepRunner.SleepMs = sleepMs;
        SleepSilo.State = Directory.CreateTempSubdirectory("gradcam-fleet-state-").FullName;
        var builder = new TestClusterBuilder((short)silos);
        builder.AddSiloBuilderConfigurator<SleepSilo>();
        var cluster = builder.Build();
        cluster.DeployAsync().GetAwaiter().GetResult();
        try
        {
            int drives = silos * drivesPerSilo;
            var spec = new FleetJobSpec($"scale-{silos}", Enumerable.Range(0, drives).Select(i => new FleetDriveSpec($"d{i}", $"d{i}.mp4", null)).ToList(),
                                        "simulated", null, "stop", Path.Combine(SleepSilo.State, "store"));
            var job = cluster.Client.GetGrain<IFleetJobGrain>(spec.JobId);
            var clock = Stopwatch.StartNew();
            job.Start(spec).GetAwaiter().GetResult();
            while (!job.Status().GetAwaiter().GetResult().Finished) Thread.Sleep(20);
            double seconds = clock.Elapsed.TotalSeconds;
            double ideal = silos * 1000.0 / sleepMs;
            var p = new ScalePoint(silos, drives, sleepMs, Math.Round(drives / seconds, 2), Math.Round(ideal, 2), Math.Round(drives / seconds / ideal, 3));
            Console.Error.WriteLine($"  fleet scale: {silos} silo(s), {drives} drives: {p.DrivesPerSecond} drives/s (ideal {p.IdealDrivesPerSecond}, {p.Efficiency:P0})");
            return p;
        }
        finally
        {
            cluster.StopAllSilosAsync().GetAwaiter().GetResult();
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(SleepSilo.State, recursive: true);
        }
    }
}
