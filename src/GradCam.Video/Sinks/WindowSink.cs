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
    private Mat? _shown;
    private bool _paused;

    /// <summary>Opens the window.</summary>
    /// <exception cref="InvalidOperationException">There is no display, or OpenCV cannot open a window on it.</exception>
    public WindowSink(string title, OverlaySettings settings, Action quit)
    {
        _title = title;
        _settings = settings;
        _quit = quit;
        if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")))
            throw new InvalidOperationException("no display to open a window on (DISPLAY is not set): run headless (gradcam live --headless)");
        try
        {
            Cv2.NamedWindow(_title, WindowFlags.AutoSize);
        }
        catch (OpenCVException e)
        {
            throw new InvalidOperationException($"the window could not be opened ({e.Message.Trim()}): run headless (gradcam live --headless)", e);
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
        switch (key & 0xFF)
        {
            case 'q' or 27: _quit(); break;
            case ' ': _paused = !_paused; break;
            case 'm': _settings.CycleColormap(); break;
            case 'o': _settings.ShowOverlay = !_settings.ShowOverlay; break;
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
