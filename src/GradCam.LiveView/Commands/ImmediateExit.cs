using System.Runtime.InteropServices;

namespace GradCam.LiveView.Commands;

/// <summary>
/// Ends the process now, with an exit code, while other threads may still be inside native code (a forward pass):
/// .NET's orderly exit would tear libtorch down under them and crash. On Unix this is <c>_exit</c>, which runs no
/// exit handlers; the outputs must be closed before it is called.
/// </summary>
internal static class ImmediateExit
{
    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) Exit(code);
        Environment.Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
