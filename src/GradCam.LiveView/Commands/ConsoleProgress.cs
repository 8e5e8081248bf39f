namespace GradCam.LiveView.Commands;

/// <summary>Progress of long work on one stderr line (rewritten in place on a terminal, every 10 % otherwise).</summary>
internal sealed class ConsoleProgress(string what) : IProgress<(int Done, int Total)>
{
    private int _lastDecile = -1;

    public void Report((int Done, int Total) value)
    {
        var (done, total) = value;
        if (Console.IsErrorRedirected)
        {
            int decile = total == 0 ? 10 : done * 10 / total;
            if (decile == _lastDecile) return;
            _lastDecile = decile;
            Console.Error.WriteLine($"  {what}: {done}/{total}");
            return;
        }
        Console.Error.Write($"\r  {what}: {done}/{total}   ");
        if (done >= total) Console.Error.WriteLine();
    }
}
