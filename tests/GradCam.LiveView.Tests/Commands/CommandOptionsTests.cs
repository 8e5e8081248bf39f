using System.CommandLine;
using GradCam.LiveView.Commands;
using Xunit;

namespace GradCam.LiveView.Tests.Commands;

/// <summary>The commands' options: no name or alias twice on a command; SmoothGrad's --smooth and the overlay's --ema apart.</summary>
public sealed class CommandOptionsTests
{
    public static TheoryData<string> Commands() => new(["explain", "live", "replay", "evaluate", "investigate"]);

    private static Command Create(string name) => name switch
    {
        "explain" => ExplainCommand.Create(),
        "live" => LiveCommand.Create(),
        "replay" => ReplayCommand.Create(),
        "investigate" => InvestigateCommand.Create(),
        _ => EvaluateCommand.Create(),
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_option_name_and_alias_is_unique(string name)
    {
        var names = Create(name).Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
        var twice = names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{name} registers {string.Join(", ", twice)} more than once");
    }

    [Fact]
    public void Replay_takes_ema_for_the_overlay_and_refuses_a_fractional_smooth()
    {
        string dir = Directory.CreateTempSubdirectory("gradcam-options-").FullName;
        try
        {
            string clip = TestVideos.Write(Path.Combine(dir, "c.avi"), 4, fps: 10);
            var bad = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--smooth", "0.5", "--out", Path.Combine(dir, "o.avi"), "--timeline", Path.Combine(dir, "t.jsonl"));
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Single(bad.Stderr.Trim().Split('\n'));
            Assert.Contains("Cannot parse argument '0.5' for option '--smooth'", bad.Stderr);
            Assert.DoesNotContain("   at ", bad.Stderr);
            Assert.False(File.Exists(Path.Combine(dir, "o.avi")));

            var good = GradcamProcess.Run("replay", clip, "--model", "resnet18", "--random-weights", "--ema", "0.5", "--out", Path.Combine(dir, "o.avi"), "--timeline", Path.Combine(dir, "t.jsonl"));
            Assert.True(good.ExitCode == 0, good.Stderr);
            Assert.Equal(4, TestVideos.Inspect(Path.Combine(dir, "o.avi")).Frames);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
