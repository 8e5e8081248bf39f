namespace GradCam.Fleet;

/// <summary>
/// Grain calls while the cluster recovers: until Orleans declares a dead silo dead, calls to the grains it held fail
/// with messaging errors or time out. Those are tried again; every other error is the call's own.
/// </summary>
internal static class ClusterCalls
{
    /// <summary>Whether <paramref name="e"/> says the cluster could not take the call now, not that the call failed.</summary>
    public static bool IsTransient(Exception e) => e is OrleansException or TimeoutException;

    /// <summary>An error's first line: what a log line or a notice shows of it.</summary>
    public static string FirstLine(Exception e) => e.Message.Split('\n')[0].Trim();

    /// <summary>
    /// Makes the call, again every second while its errors are transient, for at most <paramref name="patience"/>; after
    /// that the last transient error is thrown. <paramref name="waiting"/> hears the first one.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, TimeSpan patience, Action<Exception>? waiting, CancellationToken token)
    {
        var deadline = DateTime.UtcNow + patience;
        for (bool told = false; ; told = true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < deadline)
            {
                if (!told) waiting?.Invoke(e);
                await Task.Delay(TimeSpan.FromSeconds(1), token);
            }
        }
    }
}
