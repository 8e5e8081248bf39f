namespace GradCam.Fleet.Jobs;

/// <summary>See <see cref="IFleetRegistryGrain"/>: kept in grain storage, so jobs outlive a silo.</summary>
internal sealed class FleetRegistryGrain([PersistentState("registry", FleetStorage.Name)] IPersistentState<List<string>> jobs) : Grain, IFleetRegistryGrain
{
    public async Task Add(string jobId)
    {
        if (jobs.State.Contains(jobId)) return;
        jobs.State.Add(jobId);
        await jobs.WriteStateAsync();
    }

    public async Task Remove(string jobId)
    {
        if (jobs.State.Remove(jobId)) await jobs.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Active() => Task.FromResult<IReadOnlyList<string>>(jobs.State.ToArray());
}
