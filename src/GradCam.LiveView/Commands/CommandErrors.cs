using GradCam.Configuration;
using GradCam.Fleet.Cluster;
using GradCam.Onnx;
using GradCam.Video.Sinks;
using GradCam.Models.Weights;

namespace GradCam.LiveView.Commands;

/// <summary>Turns the errors users cause (bad files, options, layers) into one line on stderr and exit code 1.</summary>
internal static class CommandErrors
{
    public const int Failure = 1;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Report(MessageOf(e));
            return Failure;
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception e) when (IsUserError(e))
        {
            Report(MessageOf(e));
            return Failure;
        }
    }

    /// <summary>The message without .NET's " (Parameter 'x')" suffix, which names a C# parameter, not an option.</summary>
    public static string MessageOf(Exception e) => e switch
    {
        SettingException setting => SettingFlags.Word(setting),
        OnnxImportException { Setting: { } setting } when SettingFlags.FlagOf(setting) is { } flag => $"{e.Message} ({flag})",
        DisplayUnavailableException => $"{e.Message} (gradcam live --headless)",
        ClusterUnreachableException => $"{e.Message}: gradcam fleet serve --cluster …",
        ArgumentException { ParamName: { } name } => e.Message.Replace($" (Parameter '{name}')", ""),
        _ => e.Message,
    };

    public static void Report(string message) =>
        Console.Error.WriteLine($"gradcam: error: {FirstLine(message)}");

    private static bool IsUserError(Exception e) => e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException
        or ArgumentException or WeightsMismatchException or FormatException or NotSupportedException or IOException
        or UnauthorizedAccessException or InvalidOperationException;

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
