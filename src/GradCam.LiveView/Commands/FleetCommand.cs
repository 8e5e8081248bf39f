using System.CommandLine;
using System.Net;
using GradCam.Fleet;
using GradCam.Fleet.Cluster;
using GradCam.Fleet.Jobs;
using GradCam.Fleet.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GradCam.LiveView.Commands;

/// <summary>
/// <c>gradcam fleet</c>: every drive of a fleet investigated on Orleans, on this machine (<c>run</c>) or on a cluster of
/// machines meeting in PostgreSQL (<c>serve</c> on each, then <c>submit</c>, <c>status</c>, <c>report</c>).
/// </summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var fleet = new Command("fleet", "Investigate a fleet of drives on Microsoft Orleans and answer for all of them at once");
        fleet.Subcommands.Add(RunCommand());
        fleet.Subcommands.Add(ServeCommand());
        fleet.Subcommands.Add(SubmitCommand());
        fleet.Subcommands.Add(StatusCommand());
        fleet.Subcommands.Add(ReportCommand());
        return fleet;
    }

    private static Command RunCommand()
    {
        var job = new JobArguments();
        var workers = new Option<int>("--workers", "-w") { Description = "Drives investigated at once on this machine", DefaultValueFactory = _ => 1 };
        workers.Check(v => v is < 1 or > FleetOptions.MaxSlots, $"--workers must be 1 to {FleetOptions.MaxSlots}");
        var command = new Command("run", "Run a fleet job on this machine: an in-process Orleans cluster on localhost with N workers") { workers };
        job.AddTo(command);
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            var spec = job.Spec(parse);
            Console.Error.WriteLine($"fleet {spec.JobId}: {spec.Drives.Count} drives, {parse.GetValue(workers)} worker(s) on an in-process Orleans cluster");
            var numbers = await EmbeddedFleet.RunAsync(spec, parse.GetValue(workers), ProgressLines(), token);
            return Answer(numbers, Path.Combine(spec.Store, "fleet.html"));
        }));
        return command;
    }

    private static Command ServeCommand()
    {
        var cluster = new ClusterArguments();
        var slots = new Option<int>("--slots") { Description = "Drives this machine investigates at once (1 per GPU, or a CPU count)", DefaultValueFactory = _ => 1 };
        var port = new Option<int>("--port") { Description = "The port silos talk to each other on", DefaultValueFactory = _ => 11111 };
        var gateway = new Option<int>("--gateway") { Description = "The port clients (submit, status, report) connect to", DefaultValueFactory = _ => 30000 };
        var address = new Option<string?>("--address") { Description = "The address other machines reach this one at (default: this host name's address)" };
        var lease = new Option<int>("--lease-timeout") { Description = "Seconds without a renewal after which a hung worker's drive goes to another", DefaultValueFactory = _ => 60 };
        slots.Check(v => v is < 1 or > FleetOptions.MaxSlots, $"--slots must be 1 to {FleetOptions.MaxSlots}");
        port.Check(v => v is < 1 or > 65535, "--port must be 1 to 65535");
        gateway.Check(v => v is < 1 or > 65535, "--gateway must be 1 to 65535");
        lease.Check(v => v is < 5 or > 86400, "--lease-timeout must be 5 to 86400 seconds");
        address.Validators.Add(r =>
        {
            if (OptionChecks.TryValue(r, out string? a) && a is not null && !IPAddress.TryParse(a, out _)) r.AddError($"--address: '{a}' is not an IP address");
        });
        var command = new Command("serve", "Run this machine's silo of a fleet cluster (PostgreSQL): it takes drives from every submitted job until stopped")
        {
            slots, port, gateway, address, lease,
        };
        cluster.AddTo(command);
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            var options = cluster.Options(parse);
            options.SiloPort = parse.GetValue(port);
            options.GatewayPort = parse.GetValue(gateway);
            options.AdvertisedAddress = parse.GetValue(address) is { } a ? IPAddress.Parse(a) : null;
            if (options.SiloPort == options.GatewayPort) throw new ArgumentException("--port and --gateway must differ");
            using var interrupt = new Interrupt("leaving the cluster (running drives go back to the queue)...");
            using var host = await FleetSilo.BuildAsync(options, o =>
            {
                o.Slots = parse.GetValue(slots);
                o.LeaseTimeout = TimeSpan.FromSeconds(parse.GetValue(lease));
            }, Logging, interrupt.Token);
            await host.StartAsync(interrupt.Token);
            var silo = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            Console.Error.WriteLine($"silo {silo} serves fleet cluster '{options.ClusterId}' with {parse.GetValue(slots)} slot(s); Ctrl+C leaves the cluster");
            try { await Task.Delay(Timeout.Infinite, interrupt.Token); }
            catch (OperationCanceledException) { }
            await host.StopAsync(TimeSpan.FromSeconds(30));
            Console.Error.WriteLine($"silo {silo} left the cluster");
            return 0;
        }));
        return command;
    }

    private static Command SubmitCommand()
    {
        var job = new JobArguments();
        var cluster = new ClusterArguments();
        var id = new Option<string?>("--job") { Description = "The job's id (default: fleet-DATE-TIME); submitting the same id again follows that job" };
        var detach = new Option<bool>("--detach") { Description = "Return once the job is submitted, without following it" };
        id.Validators.Add(r =>
        {
            if (OptionChecks.TryValue(r, out string? v) && v is not null && !FleetJobSpec.IsValidJobId(v))
                r.AddError($"--job: {FleetJobSpec.JobIdRule}");
        });
        var command = new Command("submit", "Submit a fleet job to a cluster of `gradcam fleet serve` machines and follow it to its report") { id, detach };
        job.AddTo(command);
        cluster.AddTo(command);
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            var spec = job.Spec(parse, parse.GetValue(id));
            var options = cluster.Options(parse);
            await using var client = await Connect(options, TimeSpan.FromSeconds(30), token);
            await client.SubmitAsync(spec);
            Console.Error.WriteLine($"fleet {spec.JobId}: {spec.Drives.Count} drives submitted to cluster '{options.ClusterId}'");
            Console.WriteLine(spec.JobId);
            if (parse.GetValue(detach)) return 0;
            using var interrupt = new Interrupt($"no longer following; the job goes on (gradcam fleet status {spec.JobId})");
            var progress = ProgressLines();
            JobStatus status;
            while (!(status = await client.StatusAsync(spec.JobId)).Finished)
            {
                progress.Report(status);
                await Task.Delay(500, interrupt.Token);
            }
            progress.Report(status);
            return await Report(client, spec.JobId, status);
        }));
        return command;
    }

    private static Command StatusCommand()
    {
        var cluster = new ClusterArguments();
        var id = new Argument<string?>("job") { Description = "The job (default: list the jobs still running)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show a fleet job's progress, drive by drive (or the jobs still running)") { id };
        cluster.AddTo(command);
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            await using var client = await Connect(cluster.Options(parse), TimeSpan.FromSeconds(10), token);
            if (parse.GetValue(id) is not { } jobId)
            {
                foreach (string active in await client.ActiveJobsAsync()) Console.WriteLine($"{active}: {await client.StatusAsync(active)}");
                return 0;
            }
            var status = await client.StatusAsync(jobId);
            Console.WriteLine($"{jobId}: {status}" + (status.Report is { } r ? $"; report: {r}" : ""));
            var (_, drives) = await client.SnapshotAsync(jobId);
            foreach (var d in drives)
            {
                string outcome = d.Status switch
                {
                    DriveStatus.Done => $"{d.Summary!.Events.Count} event(s)",
                    DriveStatus.Failed => d.Error ?? "",
                    DriveStatus.Running => $"on {d.Worker}",
                    _ => d.Error is { } e ? $"again after: {e}" : "",
                };
                Console.WriteLine($"  {d.Drive.Id,-24} {d.Status.ToString().ToLowerInvariant(),-8} {d.Attempts} attempt(s)  {outcome}");
            }
            return 0;
        }));
        return command;
    }

    private static Command ReportCommand()
    {
        var cluster = new ClusterArguments();
        var id = new Argument<string>("job") { Description = "The job" };
        var command = new Command("report", "Write a fleet job's report (fleet.html, fleet.json) into its store again and print its answer") { id };
        cluster.AddTo(command);
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            await using var client = await Connect(cluster.Options(parse), TimeSpan.FromSeconds(10), token);
            string jobId = parse.GetValue(id)!;
            var status = await client.StatusAsync(jobId);
            if (!status.Finished) Console.Error.WriteLine($"gradcam: warning: job {jobId} is not finished ({status}); the report shows the drives done so far");
            return await Report(client, jobId, status, rewrite: true);
        }));
        return command;
    }

    private static async Task<int> Report(FleetClient client, string jobId, JobStatus status, bool rewrite = false)
    {
        string path = rewrite || status.Report is null ? await client.WriteReportAsync(jobId) : status.Report;
        var (spec, drives) = await client.SnapshotAsync(jobId);
        return Answer(FleetReport.Compute(spec, drives), path);
    }

    private static async Task<FleetClient> Connect(FleetClusterOptions options, TimeSpan wait, CancellationToken token)
    {
        var client = await FleetClient.ConnectAsync(options, wait, token);
        client.Waiting = message => Console.Error.WriteLine($"  {message}");
        return client;
    }

    private static int Answer(FleetReport.Numbers numbers, string report)
    {
        Console.WriteLine(FleetReport.Answer(numbers));
        Console.WriteLine($"report: {report}");
        return numbers.Failed == 0 ? 0 : CommandErrors.Failure;
    }

    private static IProgress<JobStatus> ProgressLines() =>
        new ThrottledProgress(new Progress<JobStatus>(s => Console.Error.WriteLine($"  drives: {s}")));

    /// <summary>
    /// The silo's log on stderr, one line each: the fleet's drives and workers, and only Orleans' critical errors (it
    /// logs a dead peer's refused connections as errors until it declares that silo dead, which is the normal course).
    /// </summary>
    private static void Logging(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Critical);
        logging.AddFilter("GradCam", LogLevel.Information);
    }

    /// <summary>What a fleet job is: the drives, the models, the store; shared by <c>run</c> and <c>submit</c>.</summary>
    private sealed class JobArguments
    {
        private readonly Argument<string> _drives = new("drives") { Description = "A folder of videos (NAME.truth.json beside NAME.mp4 as truth) or a fleet.json manifest" };
        private readonly Option<string> _model = new("--model", "-m") { Required = true, Description = "The model: a model package, an ONNX file or a saved ML.NET model" };
        private readonly Option<string?> _compare = new("--compare") { Description = "A second model replayed on every drive for comparison" };
        private readonly Option<DirectoryInfo> _output = new("--out", "-o") { Required = true, Description = "The store: a folder per drive (its report, video, timeline) and fleet.html, fleet.json; every machine must see it" };
        private readonly Option<string> _eventClass = new("--event") { Description = "The class whose abrupt onsets are investigated", DefaultValueFactory = _ => "stop" };
        private readonly Option<int> _attempts = new("--attempts") { Description = "Tries before a drive is marked failed", DefaultValueFactory = _ => FleetJobSpec.DefaultMaxAttempts };

        public JobArguments() => _attempts.Check(v => v is < 1 or > FleetJobSpec.AttemptsLimit, $"--attempts must be 1 to {FleetJobSpec.AttemptsLimit}");

        public void AddTo(Command command)
        {
            command.Arguments.Add(_drives);
            foreach (var option in new Option[] { _model, _compare, _output, _eventClass, _attempts }) command.Options.Add(option);
        }

        /// <summary>The job, its inputs and outputs checked before anything runs.</summary>
        public FleetJobSpec Spec(ParseResult parse, string? jobId = null)
        {
            var list = FleetManifest.Read(parse.GetValue(_drives)!);
            string store = parse.GetValue(_output)!.FullName;
            foreach (var m in new[] { parse.GetValue(_model), parse.GetValue(_compare) }.OfType<string>())
                if (!File.Exists(m)) throw new FileNotFoundException($"model '{m}' not found (a fleet needs a model file every machine can read)");
            OutputChecks.Check(list.Select(d => d.Video), ("--out", Path.Combine(store, "fleet.html")));
            var spec = new FleetJobSpec(jobId ?? $"fleet-{DateTime.UtcNow:yyyyMMdd-HHmmss}", list, Path.GetFullPath(parse.GetValue(_model)!),
                                        parse.GetValue(_compare) is { } c ? Path.GetFullPath(c) : null, parse.GetValue(_eventClass)!, store,
                                        MaxAttempts: parse.GetValue(_attempts));
            spec.Validate();
            return spec;
        }
    }

    /// <summary>Where the cluster meets: <c>--cluster</c> (or GRADCAM_CLUSTER) and <c>--cluster-id</c>.</summary>
    private sealed class ClusterArguments
    {
        /// <summary>The environment variable that stands for <c>--cluster</c>, so a password stays out of the command line.</summary>
        public const string Environment = "GRADCAM_CLUSTER";

        private readonly Option<string?> _connection = new("--cluster") { Description = $"The cluster's PostgreSQL connection string, e.g. \"Host=db;Database=fleet;Username=gradcam;Password=…\" (or {Environment})" };
        private readonly Option<string> _clusterId = new("--cluster-id") { Description = "Which fleet cluster of the database", DefaultValueFactory = _ => FleetClusterOptions.DefaultClusterId };

        public void AddTo(Command command)
        {
            command.Options.Add(_connection);
            command.Options.Add(_clusterId);
        }

        public FleetClusterOptions Options(ParseResult parse)
        {
            string connection = parse.GetValue(_connection) ?? System.Environment.GetEnvironmentVariable(Environment)
                ?? throw new ArgumentException($"--cluster: the cluster's PostgreSQL connection string is needed (Host=…;Database=…), or set {Environment}");
            FleetDatabase.Parse(connection);
            return new FleetClusterOptions { ConnectionString = connection, ClusterId = parse.GetValue(_clusterId)! };
        }
    }

    /// <summary>A progress line when something changed, at most every few seconds.</summary>
    private sealed class ThrottledProgress(IProgress<JobStatus> inner) : IProgress<JobStatus>
    {
        private JobStatus? _last;
        private DateTime _shown = DateTime.MinValue;

        public void Report(JobStatus value)
        {
            if (value == _last && !value.Finished) return;
            if (!value.Finished && DateTime.UtcNow - _shown < TimeSpan.FromSeconds(3)) return;
            _last = value;
            _shown = DateTime.UtcNow;
            inner.Report(value);
        }
    }
}
