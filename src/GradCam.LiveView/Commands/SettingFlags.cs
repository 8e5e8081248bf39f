using GradCam.Configuration;

namespace GradCam.LiveView.Commands;

/// <summary>
/// The command line's names for the libraries' settings: a <see cref="SettingException"/> names its setting
/// (<c>ModelSpec.Device</c>), and the CLI words it with the flag a user typed (<c>--device</c>).
/// </summary>
internal static class SettingFlags
{
    private static readonly Dictionary<string, string> s_flags = new(StringComparer.Ordinal)
    {
        ["ModelSpec.Name"] = "--model",
        ["ModelSpec.Device"] = "--device",
        ["ModelSpec.WeightsPath"] = "--weights",
        ["ModelSpec.RandomWeights"] = "--random-weights",
        ["ModelSpec.Engine"] = "--engine",
        ["ModelSpec.Input.InputSize"] = "--input-size",
        ["EventThresholds.On"] = "--threshold",
        ["EventThresholds.Off"] = "--release",
        ["EventThresholds.MinQuietFrames"] = "--min-calm",
        ["InvestigationOptions.BatchSize"] = "--batch",
        ["InvestigationOptions.EventClass"] = "--event",
        ["FleetOptions.Slots"] = "--slots",
        ["FleetJobSpec.JobId"] = "--job",
        ["FleetJobSpec.Model"] = "--model",
        ["FleetJobSpec.EventClass"] = "--event",
        ["FleetJobSpec.Compare"] = "--compare",
        ["FleetJobSpec.Store"] = "--out",
        ["FleetJobSpec.MaxAttempts"] = "--attempts",
        ["FleetClusterOptions.ConnectionString"] = "--cluster",
        ["FleetClusterOptions.SiloPort"] = "--port",
        ["FleetClusterOptions.GatewayPort"] = "--gateway",
        ["FleetClusterOptions.AdvertisedAddress"] = "--address",
        ["FleetClusterOptions.LeaseTimeout"] = "--lease-timeout",
        ["RawStdinSource.Size"] = "--stdin-raw",
    };

    /// <summary>The flag of a setting, or null when the command line has none.</summary>
    /// <param name="setting">A <see cref="SettingException.Setting"/>.</param>
    public static string? FlagOf(string setting) => s_flags.GetValueOrDefault(setting);

    /// <summary>The message as the command line says it: <c>--device: unknown device 'tpu': ...</c>.</summary>
    /// <param name="e">The library's error.</param>
    public static string Word(SettingException e) => FlagOf(e.Setting) is { } flag ? $"{flag}: {e.Message}" : e.Message;
}
