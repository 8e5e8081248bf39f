using GradCam.Engine;
using OpenCvSharp;

namespace GradCam.Evaluation;

/// <summary>
/// Measures <see cref="TemporalStability"/> over a stream of explained frames: give it each frame's heat (as shown)
/// and the frame; it compares each with the previous one, over the whole stream and over a rolling window.
/// Not thread-safe: one instance per stream; the snapshots it returns are immutable.
/// </summary>
public sealed class TemporalStabilityMeter
{
    private readonly Queue<FrameChange> _recent = new();
    private readonly int _window;
    private float[]? _lastHeat, _lastScene;
    private double _map, _heat, _scene;
    private int _pairs;

    /// <summary>Creates a meter.</summary>
    /// <param name="window">Pairs in the rolling window (<see cref="Recent"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The window is not positive.</exception>
    public TemporalStabilityMeter(int window = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _window = window;
    }

    /// <summary>Every pair measured so far.</summary>
    public TemporalStability Total => _pairs == 0 ? TemporalStability.None : new(_pairs, _map / _pairs, _heat / _pairs, _scene / _pairs);

    /// <summary>The last pairs, up to the window.</summary>
    public TemporalStability Recent => _recent.Count == 0 ? TemporalStability.None
        : new(_recent.Count, _recent.Average(c => c.Map), _recent.Average(c => c.Heat), _recent.Average(c => c.Scene));

    /// <summary>Forgets the previous frame (after a seek): the next one starts a new chain.</summary>
    public void Break()
    {
        _lastHeat = null;
        _lastScene = null;
    }

    /// <summary>Adds the next explained frame.</summary>
    /// <param name="heat">The heat shown for it (after any smoothing and normalisation), at the map's resolution.</param>
    /// <param name="frame">The frame, as given to the model.</param>
    /// <returns>Its change from the previous frame; null for the first frame, or one whose map grid differs.</returns>
    public FrameChange? Add(CamMap heat, Mat frame) => Add(heat, SceneGrid.From(frame, heat.Height, heat.Width));

    /// <summary>Adds the next explained frame, whose scene is already on the map's grid.</summary>
    /// <param name="heat">The heat shown (after any smoothing and normalisation).</param>
    /// <param name="scene">The frame's luminance on the same grid (<see cref="SceneGrid.From"/>).</param>
    /// <returns>Its change from the previous frame; null for the first frame, or one whose map grid differs.</returns>
    /// <exception cref="ArgumentException">The scene is not on the heat's grid.</exception>
    public FrameChange? Add(CamMap heat, CamMap scene)
    {
        if (scene.Data.Length != heat.Data.Length) throw new ArgumentException($"the scene's {scene.Height}x{scene.Width} grid is not the heat's {heat.Height}x{heat.Width}", nameof(scene));
        FrameChange? change = null;
        if (_lastHeat is not null && _lastHeat.Length == heat.Data.Length)
        {
            var c = new FrameChange(MapDifference.Decorrelation(heat.Data, _lastHeat), MapDifference.MeanAbsolute(heat.Data, _lastHeat),
                                    MapDifference.Decorrelation(scene.Data, _lastScene));
            _pairs++;
            _map += c.Map;
            _heat += c.Heat;
            _scene += c.Scene;
            _recent.Enqueue(c);
            if (_recent.Count > _window) _recent.Dequeue();
            change = c;
        }
        _lastHeat = (float[])heat.Data.Clone();
        _lastScene = (float[])scene.Data.Clone();
        return change;
    }
}
