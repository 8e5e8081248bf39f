using System.Collections.Concurrent;
using OpenCvSharp;

namespace GradCam.Video.Pipeline;

/// <summary>Reuses frame buffers: a decoder writing into a returned Mat of the same size allocates nothing.</summary>
internal sealed class MatPool : IDisposable
{
    private readonly ConcurrentBag<Mat> _free = new();
    private readonly int _capacity;

    public MatPool(int capacity) => _capacity = capacity;

    public Mat Rent() => _free.TryTake(out var mat) ? mat : new Mat();

    public void Return(Mat? mat)
    {
        if (mat is null) return;
        if (_free.Count < _capacity) _free.Add(mat);
        else mat.Dispose();
    }

    public void Dispose()
    {
        while (_free.TryTake(out var mat)) mat.Dispose();
    }
}
