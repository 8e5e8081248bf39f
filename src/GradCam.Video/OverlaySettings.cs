using GradCam.Imaging;

namespace GradCam.Video;

/// <summary>How frames are drawn; the window's keys change it while the pipeline runs.</summary>
public sealed class OverlaySettings
{
    private volatile int _colormap = (int)Colormap.Jet;
    private volatile bool _showOverlay = true;

    /// <summary>The heat colouring.</summary>
    public Colormap Colormap
    {
        get => (Colormap)_colormap;
        set => _colormap = (int)value;
    }

    /// <summary>Whether the heatmap is drawn (the HUD always is).</summary>
    public bool ShowOverlay
    {
        get => _showOverlay;
        set => _showOverlay = value;
    }

    /// <summary>Heat opacity in [0, 1].</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>
    /// Opacity that follows the heat (default): cold pixels keep the frame's colour, full heat is drawn at
    /// <see cref="Alpha"/>. False blends the whole frame uniformly at <see cref="Alpha"/>.
    /// </summary>
    public bool HeatWeighted { get; init; } = true;

    /// <summary>Whether a colour bar with the scale in use is drawn at the frame's right edge.</summary>
    public bool ColourBar { get; init; } = true;

    /// <summary>The article's view: Canny edges of the frame under the heatmap, instead of the frame itself.</summary>
    public bool Edges { get; init; }

    /// <summary>Whether to draw the HUD (label, probability, model fps, latency, dropped frames).</summary>
    public bool Hud { get; init; } = true;

    /// <summary>Switches to the next colormap (the window's <c>m</c> key).</summary>
    public void CycleColormap() => Colormap = (Colormap)(((int)Colormap + 1) % Enum.GetValues<Colormap>().Length);
}
