using GradCam.Fleet.Workers;
using GradCam.Models.Loading;
using Orleans.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GradCam.Fleet;

/// <summary>Adds the fleet to a silo: its grains come with the assembly; this adds the workers and their options.</summary>
public static class FleetSiloBuilderExtensions
{
    /// <summary>
    /// Runs fleet workers in this silo (<see cref="FleetOptions.Slots"/> drives at once). Grain storage named
    /// <see cref="FleetStorage.Name"/> and a reminder service must be configured too: <see cref="UseFleetFolderState"/>
    /// on one machine, <c>UseGradCamFleetCluster</c> (PostgreSQL) for many. Drives' models load through the
    /// <see cref="ModelLoaderRegistry"/> service, <see cref="ModelLoaderRegistry.Default"/> unless one is registered.
    /// </summary>
    public static ISiloBuilder AddGradCamFleet(this ISiloBuilder silo, Action<FleetOptions>? configure = null)
    {
        silo.Services.Configure<FleetOptions>(o => configure?.Invoke(o));
        silo.Services.AddSingleton<IConfigurationValidator, FleetOptionsValidator>();
        silo.Services.TryAddSingleton(ModelLoaderRegistry.Default);
        silo.Services.TryAddTransient<IDriveRunner, DriveRunner>();
        silo.Services.AddHostedService<FleetWorker>();
        return silo;
    }

    /// <summary>
    /// One machine's fleet state: grain state as files in <paramref name="folder"/> (a job outlives the process: run it
    /// again to resume) and reminders in memory (on one machine the workers themselves keep asking the job).
    /// </summary>
    public static ISiloBuilder UseFleetFolderState(this ISiloBuilder silo, string folder)
    {
        FolderGrainStorage.AddTo(silo, folder);
        return silo.UseInMemoryReminderService();
    }
}
