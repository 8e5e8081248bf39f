using System.CommandLine;
using GradCam.LiveView.Commands;

namespace GradCam.LiveView;

/// <summary>The <c>gradcam</c> command line.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("GradCam: see why a convolutional network decided what it did (Grad-CAM on TorchSharp)");
        root.Subcommands.Add(ExplainCommand.Create());
        return root.Parse(args).Invoke();
    }
}
