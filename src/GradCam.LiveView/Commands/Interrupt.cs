using System.Runtime.InteropServices;

namespace GradCam.LiveView.Commands;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM (what <c>docker stop</c>, systemd and Kubernetes send) during a long command. The first
/// cancels <see cref="Token"/> so the command finishes what it holds (finalises a video, writes its tables) and exits
/// with 130. The second runs the command's "at once" action when it has one (close the files now, still valid);
/// without one, or on a third, the process ends as usual.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    /// <param name="message">What the command does before it stops, shown on stderr.</param>
    /// <param name="atOnce">What a second signal does instead of killing the process.</param>
    public Interrupt(string message, Action? atOnce = null)
    {
        void Handle(PosixSignalContext context)
        {
            int count = Interlocked.Increment(ref _signals);
            if (count == 1)
            {
                context.Cancel = true;
                Console.Error.WriteLine($"\nstopping ({context.Signal}): {message}" + (atOnce is null ? "" : " (again to stop at once)"));
                _source.Cancel();
            }
            else if (count == 2 && atOnce is not null)
            {
                context.Cancel = true;
                Console.Error.WriteLine($"\nstopping at once ({context.Signal})");
                ThreadPool.QueueUserWorkItem(_ => atOnce());
            }
        }
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
