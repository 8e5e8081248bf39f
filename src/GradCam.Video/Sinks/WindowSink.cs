using OpenCvSharp;

namespace GradCam.Video.Sinks;

/// <summary>
/// An OpenCV highgui window showing the composed frames. Keys: q or Esc quit, space pauses, m cycles the colormap,
/// o toggles the overlay.
/// </summary>
public sealed class WindowSink : IFrameSink
{
    private readonly string _title;
    private readonly OverlaySettings _settings;
    private readonly Action _quit;
    private readonly Action<string>? _notice;
    private Mat? _shown;
    private bool _paused;

    /// <summary>Opens the window.</summary>
    /// <param name="title">The window's title.</param>
    /// <param name="settings">The overlay settings the keys change.</param>
    /// <param name="quit">What q and Esc do.</param>
    /// <param name="notice">Told what each key did ("colormap Turbo"), for a terminal beside the window.</param>
    /// <exception cref="InvalidOperationException">There is no display, or OpenCV cannot open a window on it.</exception>
    public WindowSink(string title, OverlaySettings settings, Action quit, Action<string>? notice = null)
    {
        _title = title;
        _settings = settings;
        _quit = quit;
        _notice = notice;
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
            throw new DisplayUnavailableException("DISPLAY is not set");
        try
        {
            Cv2.NamedWindow(_title, WindowFlags.AutoSize);
        }
        catch (OpenCVException e)
        {
            throw new DisplayUnavailableException(e.Message.Trim(), e);
        }
    }

    /// <summary>Frames shown.</summary>
    public long Shown { get; private set; }

    /// <inheritdoc />
    public void Write(Frame frame)
    {
        if (!_paused)
        {
            _shown?.Dispose();
            _shown = (frame.Composed ?? frame.Image).Clone();
            Cv2.ImShow(_title, _shown);
            Shown++;
        }
        HandleKey(Cv2.WaitKey(1));
    }

    /// <inheritdoc />
    public void Idle() => HandleKey(Cv2.WaitKey(1));

    private void HandleKey(int key)
    {
        if (key < 0) return;
        switch (key & 0xFF)
        {
            case 'q' or 27:
                _notice?.Invoke("quit");
                _quit();
                break;
            case ' ':
                _paused = !_paused;
                _notice?.Invoke(_paused ? "paused" : "resumed");
                break;
            case 'm':
                _settings.CycleColormap();
                _notice?.Invoke($"colormap {_settings.Colormap}");
                break;
            case 'o':
                _settings.ShowOverlay = !_settings.ShowOverlay;
                _notice?.Invoke(_settings.ShowOverlay ? "overlay on" : "overlay off");
                break;
        }
    }

    /// <inheritdoc />
    public void Complete()
    {
        Cv2.DestroyWindow(_title);
        Cv2.WaitKey(1);
    }

    /// <inheritdoc />
    public void Dispose() => _shown?.Dispose();
}
