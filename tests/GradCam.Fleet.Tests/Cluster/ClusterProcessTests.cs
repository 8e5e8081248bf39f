using System.Diagnostics;
using System.Text.Json;
using GradCam.Dashcam.World;
using GradCam.Fleet.Cluster;
using Xunit;

namespace GradCam.Fleet.Tests.Cluster;

/// <summary>
/// A fleet cluster of real processes on a real PostgreSQL: two `gradcam fleet serve` silos and a `submit`; one silo is
/// killed with SIGKILL mid-job; Orleans declares it dead (in the database), its drive runs again on the other, and the
/// job completes with every drive exactly once and its report written. Every process and the server are stopped.
/// </summary>
[Collection(nameof(FleetClusterTests))]
public sealed class ClusterProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradcam-fleet-processes-").FullName;
    private readonly List<RunningProcess> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            p.Kill();
            p.WaitForExit(TimeSpan.FromSeconds(30));
            p.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "models", name + ".gcm");

    /// <summary>What a gradcam process wrote so far, standard output then standard error.</summary>
    private sealed class Output(RunningProcess p)
    {
        public string Text => p.Stdout + "\n" + p.Stderr;

        public bool WaitFor(string text, TimeSpan timeout, RunningProcess _)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                if (Text.Contains(text)) return true;
                Thread.Sleep(100);
            }
            return Text.Contains(text);
        }
    }

    private (RunningProcess Process, Output Output) Start(params string[] args)
    {
        var p = GradcamProcess.Start(args);
        _processes.Add(p);
        return (p, new Output(p));
    }

    private (RunningProcess, Output) Serve(string cluster) =>
        Start("fleet", "serve", "--cluster", cluster, "--address", "127.0.0.1",
              "--port", PostgresServer.FreePort().ToString(), "--gateway", PostgresServer.FreePort().ToString());

    [Fact]
    public void TwoServeProcessesAndASubmitFinishTheJobWhenOneSiloIsKilled()
    {
        string fleet = Path.Combine(_dir, "fleet"), store = Path.Combine(_dir, "store");
        FleetRecorder.Record(fleet, 8, seed: 5, seconds: 4);
        using var db = PostgresServer.Start("fleet");
        string cluster = db.ConnectionString("fleet");

        var (a, aOut) = Serve(cluster);
        var (b, bOut) = Serve(cluster);
        Assert.True(aOut.WaitFor("serves fleet cluster", TimeSpan.FromMinutes(2), a), aOut.Text);
        Assert.True(bOut.WaitFor("serves fleet cluster", TimeSpan.FromMinutes(2), b), bOut.Text);

        var (submit, submitOut) = Start("fleet", "submit", fleet, "--model", Model("shortcut"), "--out", store, "--cluster", cluster, "--job", "drives-8");
        Assert.True(bOut.WaitFor("started on", TimeSpan.FromMinutes(2), b), bOut.Text);
        Thread.Sleep(500);
        b.Signal("KILL");
        Assert.True(b.WaitForExit(TimeSpan.FromSeconds(30)));
        // The running job's watchdog is a durable reminder, kept in the database.
        Assert.Single(db.Query("fleet", "SELECT grain_id FROM gradcam_reminder WHERE grain_id LIKE '%drives-8%' AND reminder_name = 'watchdog'"));

        Assert.True(submit.WaitForExit(TimeSpan.FromMinutes(8)), "submit did not finish: " + submitOut.Text + "\n--- a:\n" + aOut.Text);
        Assert.True(submit.ExitCode == 0, submitOut.Text + "\n--- a:\n" + aOut.Text);
        Assert.Contains("shortcut.gcm:", submitOut.Text);
        Assert.Contains($"report: {Path.Combine(store, "fleet.html")}", submitOut.Text);

        // Every drive exactly once: eight done, none failed, one folder each, and the killed silo's drive ran twice.
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(store, "fleet.json")));
        var root = json.RootElement;
        Assert.Equal((8, 8, 0), (root.GetProperty("drives").GetInt32(), root.GetProperty("done").GetInt32(), root.GetProperty("failed").GetInt32()));
        var ids = root.GetProperty("perDrive").EnumerateArray().Select(d => d.GetProperty("drive").GetString()).ToList();
        Assert.Equal(8, ids.Distinct().Count());
        Assert.Equal(8, Directory.GetDirectories(store).Count(d => !Path.GetFileName(d).StartsWith('.')));
        Assert.True(File.Exists(Path.Combine(store, "fleet.html")));

        var status = GradcamProcess.Run("fleet", "status", "drives-8", "--cluster", cluster);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("drives-8: 8 done, 0 failed, 0 running, 0 waiting of 8", status.Stdout);
        Assert.Contains("2 attempt(s)", status.Stdout);
        var report = GradcamProcess.Run("fleet", "report", "drives-8", "--cluster", cluster);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Equal(submitOut.Text.Split('\n').Single(l => l.StartsWith("shortcut.gcm:")), report.Stdout.Split('\n')[0]);
        var unknown = GradcamProcess.Run("fleet", "status", "no-such-job", "--cluster", cluster);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("gradcam: error: no fleet job 'no-such-job' in cluster 'gradcam-fleet'", unknown.Stderr.Trim());

        // Orleans' own records, in our tables: the killed silo declared dead, the finished job's watchdog unregistered.
        var silos = db.Query("fleet", "SELECT port, status FROM gradcam_cluster_silo");
        Assert.Equal(2, silos.Count);
        Assert.Contains(silos, s => s[1] == "6");
        Assert.Empty(db.Query("fleet", "SELECT grain_id FROM gradcam_reminder"));

        // Ctrl+C: the surviving silo leaves the cluster and ends.
        Assert.True(a.Interrupt(TimeSpan.FromMinutes(1)), aOut.Text);
        Assert.Equal(0, a.ExitCode);
        Assert.Contains("left the cluster", aOut.Text);
        Assert.DoesNotContain("Unhandled exception", aOut.Text + submitOut.Text);
    }

    [Fact]
    public void ClusterMistakesAreOneLine()
    {
        string fleet = Path.Combine(_dir, "fleet");
        FleetRecorder.Record(fleet, 1, seed: 5, seconds: 1);
        string[] job = ["fleet", "submit", fleet, "--model", Model("shortcut"), "--out", Path.Combine(_dir, "store")];

        var missing = GradcamProcess.RunWithEnvironment(new() { ["GRADCAM_CLUSTER"] = null }, job);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("gradcam: error: --cluster: the cluster's PostgreSQL connection string is needed", missing.Stderr.Trim());

        var garbage = GradcamProcess.Run([.. job, "--cluster", "this is not one"]);
        Assert.Equal(1, garbage.ExitCode);
        Assert.StartsWith("gradcam: error: --cluster: not a PostgreSQL connection string", garbage.Stderr.Trim());

        int closed = PostgresServer.FreePort();
        var nobody = GradcamProcess.Run("fleet", "serve", "--cluster", $"Host=127.0.0.1;Port={closed};Database=fleet;Username=gradcam;Timeout=3");
        Assert.Equal(1, nobody.ExitCode);
        Assert.StartsWith($"gradcam: error: the fleet database 127.0.0.1:{closed}/fleet cannot be used:", nobody.Stderr.Trim());
        Assert.Single(nobody.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task TheSchemaIsCreatedOnceWhenSilosStartTogether()
    {
        using var db = PostgresServer.Start("fleet");
        string cluster = db.ConnectionString("fleet");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => FleetDatabase.EnsureSchemaAsync(cluster))));
        await FleetDatabase.EnsureSchemaAsync(cluster);
        var keys = db.Query("fleet", "SELECT QueryKey FROM OrleansQuery ORDER BY 1").Select(r => r[0]).ToList();
        Assert.Equal(20, keys.Count);
        Assert.Contains("WriteToStorageKey", keys);
        Assert.Contains("UpsertReminderRowKey", keys);
        Assert.Contains("InsertMembershipKey", keys);
    }
}
