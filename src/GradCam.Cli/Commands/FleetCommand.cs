using System.CommandLine;
using GradCam.Fleet;
using GradCam.Fleet.Jobs;
using GradCam.Fleet.Reports;

namespace GradCam.Cli.Commands;

/// <summary><c>gradcam fleet run DIR|MANIFEST --model M [--compare M2] --out STORE [--workers N]</c>: every drive of a fleet investigated on Orleans.</summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var fleet = new Command("fleet", "Investigate a fleet of drives on Microsoft Orleans and answer for all of them at once");
        fleet.Subcommands.Add(RunCommand());
        return fleet;
    }

    private static Command RunCommand()
    {
        var drives = new Argument<string>("drives") { Description = "A folder of videos (NAME.truth.json beside NAME.mp4 as truth) or a fleet.json manifest" };
        var model = new Option<string>("--model", "-m") { Required = true, Description = "The model: a model package, an ONNX file or a saved ML.NET model" };
        var compare = new Option<string?>("--compare") { Description = "A second model replayed on every drive for comparison" };
        var output = new Option<DirectoryInfo>("--out", "-o") { Required = true, Description = "The store: a folder per drive (its report, video, timeline) and fleet.html, fleet.json" };
        var workers = new Option<int>("--workers", "-w") { Description = "Drives investigated at once on this machine", DefaultValueFactory = _ => 1 };
        var eventClass = new Option<string>("--event") { Description = "The class whose abrupt onsets are investigated", DefaultValueFactory = _ => "stop" };
        var attempts = new Option<int>("--attempts") { Description = "Tries before a drive is marked failed", DefaultValueFactory = _ => 3 };
        workers.Check(v => v is < 1 or > 256, "--workers must be 1 to 256");
        attempts.Check(v => v is < 1 or > 100, "--attempts must be 1 to 100");
        var command = new Command("run", "Run a fleet job on this machine: an in-process Orleans cluster on localhost with N workers")
        {
            drives, model, compare, output, workers, eventClass, attempts,
        };
        command.SetAction((parse, token) => CommandErrors.RunAsync(async () =>
        {
            var list = FleetManifest.Read(parse.GetValue(drives)!);
            string store = parse.GetValue(output)!.FullName;
            foreach (var m in new[] { parse.GetValue(model), parse.GetValue(compare) }.OfType<string>())
                if (!File.Exists(m)) throw new FileNotFoundException($"model '{m}' not found (a fleet needs a model file every machine can read)");
            OutputChecks.Check(list.Select(d => d.Video), ("--out", Path.Combine(store, "fleet.html")));
            var spec = new FleetJobSpec($"fleet-{DateTime.UtcNow:yyyyMMdd-HHmmss}", list, Path.GetFullPath(parse.GetValue(model)!),
                                        parse.GetValue(compare) is { } c ? Path.GetFullPath(c) : null, parse.GetValue(eventClass)!, store,
                                        MaxAttempts: parse.GetValue(attempts));
            Console.Error.WriteLine($"fleet {spec.JobId}: {list.Count} drives, {parse.GetValue(workers)} worker(s) on an in-process Orleans cluster");
            var progress = new Progress<JobStatus>(s => Console.Error.WriteLine($"  drives: {s.Done} done, {s.Failed} failed, {s.Running} running, {s.Pending} waiting of {s.Total}"));
            var numbers = await EmbeddedFleet.RunAsync(spec, parse.GetValue(workers), new ThrottledProgress(progress), token);
            Console.WriteLine(FleetReport.Answer(numbers));
            Console.WriteLine($"report: {Path.Combine(store, "fleet.html")}");
            return numbers.Failed == 0 ? 0 : CommandErrors.Failure;
        }));
        return command;
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
