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

    /// <summary>The peak's position in an image of another size that the map covers (the centre of the peak cell, scaled).</summary>
    /// <param name="width">The image's width.</param>
    /// <param name="height">The image's height.</param>
    public (int X, int Y) PeakIn(int width, int height)
    {
        var (x, y) = Peak();
        return ((int)((x + 0.5) * width / Width), (int)((y + 0.5) * height / Height));
    }

    /// <summary>The map min-max normalised to [0, 1]; all zeros when it is flat.</summary>
    public CamMap MinMaxNormalized()
    {
        float min = Min, range = Max - min;
        var data = new float[Data.Length];
        if (range > 0)
            for (int i = 0; i < data.Length; i++) data[i] = (Data[i] - min) / range;
        return new CamMap(Height, Width, data);
    }

    /// <summary>The map as rows, e.g. for JSON.</summary>
    public float[][] ToRows() =>
        Enumerable.Range(0, Height).Select(y => Data.AsSpan(y * Width, Width).ToArray()).ToArray();
}
