using System.Diagnostics;

namespace GradCam.Bench;

/// <summary>Timing helpers: interleaved repetitions and medians, because this machine is shared and noisy.</summary>
internal static class Stopwatches
{
    /// <summary>
    /// Runs each action once per round, round after round, starting each round with the next action in turn
    /// (so no action always runs first, after the others warmed or cooled the caches), and returns each one's
    /// median milliseconds.
    /// </summary>
    public static double[] Interleaved(int warmup, int rounds, params Action[] actions)
    {
        for (int w = 0; w < warmup; w++)
            foreach (var a in actions) a();
        var times = actions.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int j = 0; j < actions.Length; j++)
            {
                int i = (r + j) % actions.Length;
                var sw = Stopwatch.StartNew();
                actions[i]();
                times[i].Add(sw.Elapsed.TotalMilliseconds);
            }
        return times.Select(Median).ToArray();
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Resident set size of this process, in bytes (Linux /proc; the managed working set elsewhere).</summary>
    public static long ResidentBytes()
    {
        const string statm = "/proc/self/statm";
        if (File.Exists(statm))
        {
            var fields = File.ReadAllText(statm).Split(' ');
            return long.Parse(fields[1]) * Environment.SystemPageSize;
        }
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}
