namespace GradCam.Fleet;

/// <summary>How a silo takes part in fleet jobs.</summary>
public sealed class FleetOptions
{
    /// <summary>The most <see cref="Slots"/> a silo runs.</summary>
    public const int MaxSlots = 256;

    /// <summary>Drives this silo investigates at once (1 per GPU, or a CPU count), 1 to <see cref="MaxSlots"/>.</summary>
    public int Slots { get; set; } = 1;

    /// <summary>A lease not renewed for this long returns its drive to the queue (its silo is dead or hung).</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a worker renews its lease while it works.</summary>
    public TimeSpan RenewEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a running job's reminder wakes it (Orleans reminders are durable: on any silo, after any crash) to free
    /// the leases of dead or hung silos and, once every drive has ended, to make sure its report is written.
    /// </summary>
    public TimeSpan WatchdogEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an idle worker waits before looking for work again.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromMilliseconds(500);
}
