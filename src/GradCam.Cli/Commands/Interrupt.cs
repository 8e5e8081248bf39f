namespace GradCam.Cli.Commands;

/// <summary>
/// The first Ctrl+C of a long command: instead of killing the process, it cancels <see cref="Token"/> so the command
/// can finish what it holds (finalise a video, write its tables) and exit with 130. A second Ctrl+C kills as usual.
/// </summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ConsoleCancelEventHandler _handler;

    /// <param name="message">What the command does before it stops, shown on stderr.</param>
    public Interrupt(string message)
    {
        _handler = (_, e) =>
        {
            if (_source.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine($"\nstopping: {message}");
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    /// <summary>Cancelled by the first Ctrl+C.</summary>
    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
