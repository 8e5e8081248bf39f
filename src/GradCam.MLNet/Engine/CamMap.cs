namespace GradCam.Engine;

/// <summary>A single-channel map (class activation map or heatmap), row-major.</summary>
public sealed class CamMap
{
    /// <summary>Wraps row-major data.</summary>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="data">Row-major values; length must be <paramref name="height"/> x <paramref name="width"/>.</param>
    public CamMap(int height, int width, float[] data)
    {
        if (data.Length != height * width)
            throw new ArgumentException($"data holds {data.Length} values, a {height}x{width} map needs {height * width}", nameof(data));
        Height = height;
        Width = width;
        Data = data;
    }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Row-major values.</summary>
    public float[] Data { get; }

    /// <summary>The value at row <paramref name="y"/>, column <paramref name="x"/>.</summary>
    public float this[int y, int x] => Data[y * Width + x];

    /// <summary>The largest value.</summary>
    public float Max => Data.Max();

    /// <summary>The smallest value.</summary>
    public float Min => Data.Min();

    /// <summary>The position of the largest value (first one in row-major order).</summary>
    public (int X, int Y) Peak()
    {
        int best = 0;
        for (int i = 1; i < Data.Length; i++)
            if (Data[i] > Data[best]) best = i;
        return (best % Width, best / Width);
    }

    /// <summary>The map as rows, e.g. for JSON.</summary>
    public float[][] ToRows() =>
        Enumerable.Range(0, Height).Select(y => Data.AsSpan(y * Width, Width).ToArray()).ToArray();
}
