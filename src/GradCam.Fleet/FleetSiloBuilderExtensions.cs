using GradCam.Fleet.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GradCam.Fleet;

/// <summary>Adds the fleet to a silo: its grains come with the assembly; this adds the workers and their options.</summary>
public static class FleetSiloBuilderExtensions
{
    /// <summary>Runs fleet workers in this silo (<see cref="FleetOptions.Slots"/> drives at once). Grain storage named <see cref="FleetStorage.Name"/> must be configured too.</summary>
    public static ISiloBuilder AddGradCamFleet(this ISiloBuilder silo, Action<FleetOptions>? configure = null)
    {
        silo.Services.Configure<FleetOptions>(o => configure?.Invoke(o));
        silo.Services.TryAddTransient<IDriveRunner, DriveRunner>();
        silo.Services.AddHostedService<FleetWorker>();
        return silo;
    }
}
