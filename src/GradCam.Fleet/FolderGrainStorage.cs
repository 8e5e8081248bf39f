using GradCam.IO;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace GradCam.Fleet;

/// <summary>
/// Grain state as files in a folder every silo sees (the fleet's store): a job survives the silo that held it, without a
/// database. Each write replaces the file at once; an ETag (the file's version) refuses a write from a stale activation.
/// The cluster deployment uses ADO.NET storage on PostgreSQL instead.
/// </summary>
public sealed class FolderGrainStorage(string folder, Serializer serializer) : IGrainStorage
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        await s_gate.WaitAsync();
        try
        {
            if (!File.Exists(path))
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }
            var bytes = await File.ReadAllBytesAsync(path);
            grainState.State = serializer.Deserialize<T>(bytes);
            grainState.ETag = Version(path);
            grainState.RecordExists = true;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        await s_gate.WaitAsync();
        try
        {
            string? current = File.Exists(path) ? Version(path) : null;
            if (current != grainState.ETag)
                throw new InconsistentStateException($"grain state {stateName} of {grainId} changed since it was read", current ?? "", grainState.ETag ?? "");
            byte[] bytes = serializer.SerializeToArray(grainState.State);
            Directory.CreateDirectory(folder);
            AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
            grainState.ETag = Version(path);
            grainState.RecordExists = true;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await s_gate.WaitAsync();
        try
        {
            File.Delete(PathOf(stateName, grainId));
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        finally
        {
            s_gate.Release();
        }
    }

    private string PathOf(string stateName, GrainId grainId)
    {
        string name = $"{grainId.Type}-{grainId.Key}-{stateName}";
        foreach (char c in Path.GetInvalidFileNameChars()) name = name.Replace(c, '_');
        return Path.Combine(folder, name + ".state");
    }

    // The content's hash: two versions of a state never share it, whatever the clock.
    private static string Version(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16];

    /// <summary>Registers the storage under <see cref="FleetStorage.Name"/>, in <paramref name="folder"/>.</summary>
    internal static ISiloBuilder AddTo(ISiloBuilder silo, string folder)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage>(FleetStorage.Name, (sp, _) => new FolderGrainStorage(folder, sp.GetRequiredService<Serializer>()));
        return silo;
    }
}
