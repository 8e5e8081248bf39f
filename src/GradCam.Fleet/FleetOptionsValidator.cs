using GradCam.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace GradCam.Fleet;

/// <summary>Checks a silo's <see cref="FleetOptions"/> when it starts (Orleans runs every registered validator): a silo with bad options does not start.</summary>
/// <param name="options">The options.</param>
public sealed class FleetOptionsValidator(IOptions<FleetOptions> options) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration() => Validate(options.Value);

    /// <summary>Checks the options.</summary>
    /// <param name="o">The options.</param>
    /// <exception cref="SettingException">A value out of range; the exception names it.</exception>
    public static void Validate(FleetOptions o)
    {
        if (o.Slots is < 1 or > FleetOptions.MaxSlots) throw new SettingException("FleetOptions.Slots", $"a silo runs 1 to {FleetOptions.MaxSlots} slots, got {o.Slots}");
        if (o.RenewEvery <= TimeSpan.Zero) throw new SettingException("FleetOptions.RenewEvery", $"the renewal period must be positive, got {o.RenewEvery}");
        if (o.LeaseTimeout <= o.RenewEvery)
            throw new SettingException("FleetOptions.LeaseTimeout", $"a lease ({o.LeaseTimeout}) must outlast the renewal period ({o.RenewEvery}), or live drives are taken back");
        if (o.WatchdogEvery <= TimeSpan.Zero) throw new SettingException("FleetOptions.WatchdogEvery", $"the watchdog period must be positive, got {o.WatchdogEvery}");
        if (o.PollEvery <= TimeSpan.Zero) throw new SettingException("FleetOptions.PollEvery", $"the poll period must be positive, got {o.PollEvery}");
    }
}
