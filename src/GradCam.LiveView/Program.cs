using System.CommandLine;
using GradCam.LiveView.Commands;

namespace GradCam.LiveView;

/// <summary>The <c>gradcam</c> command line.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static Task<int> Main(string[] args)
    {
        _ = CliModels.Registry; // every kind of model, for the commands and the fleet's silos alike
        // Ctrl+C is handled by the commands (a replay finalises its video first), not by System.CommandLine's timeout.
        return CreateRoot().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>The command line: every command with its options (the docs' examples are parsed with it in the tests).</summary>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand("GradCam: see why a convolutional network decided what it did (Grad-CAM on TorchSharp)");
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(LiveCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(InvestigateCommand.Create());
        root.Subcommands.Add(FleetCommand.Create());
        return root;
    }
}
