using System.CommandLine;
using GradCam.Dashcam.Training;
using GradCam.Dashcam.World;
using GradCam.Models;

namespace GradCam.Dashcam;

/// <summary><c>dashcam</c>: the synthetic dashcam world, its stop/go models, and the "why did the car stop?" investigation.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("The dashcam sample: render a drive, train stop/go CNNs, investigate why the car stopped");
        root.Subcommands.Add(TrainCommand());
        return root.Parse(args).InvokeAsync();
    }

    private static Command TrainCommand()
    {
        var bias = new Option<string>("--bias") { Description = "none (honest) or red-billboard (shortcut)", DefaultValueFactory = _ => "none" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the scenes and the initial weights" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 8, Description = "Training epochs (fresh scenes each epoch)" };
        var scenes = new Option<int>("--scenes") { DefaultValueFactory = _ => 3000, Description = "Scenes per epoch" };
        var output = new Option<FileInfo>("--out", "-o") { Required = true, Description = "Model package to write (.gcm)" };
        var command = new Command("train", "Train a stop/go CNN on rendered scenes and write a model package") { bias, seed, epochs, scenes, output };
        command.SetAction(parse =>
        {
            var b = parse.GetValue(bias) switch
            {
                "none" => DatasetBias.None,
                "red-billboard" => DatasetBias.RedBillboard,
                var other => throw new ArgumentException($"--bias '{other}': expected none or red-billboard"),
            };
            using var model = Trainer.Train(new Trainer.Options(b, parse.GetValue(seed), parse.GetValue(epochs), parse.GetValue(scenes)), Console.Out);
            double accuracy = Trainer.Accuracy(model, seed: 999_999);
            Console.WriteLine($"held-out accuracy (1000 unbiased scenes): {accuracy:P1}");
            ModelPackage.Save(model, parse.GetValue(output)!.FullName);
            Console.WriteLine($"wrote {parse.GetValue(output)!.FullName}");
            return 0;
        });
        return command;
    }
}
