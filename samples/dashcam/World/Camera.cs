using OpenCvSharp;

namespace GradCam.Dashcam.World;

/// <summary>A pinhole dashcam 1.4 m above a flat road: road coordinates (metres) to pixels.</summary>
public sealed class Camera
{
    /// <summary>Camera height above the road, metres.</summary>
    public const double HeightM = 1.4;

    /// <summary>A camera for frames of the given size.</summary>
    public Camera(int width, int height)
    {
        Width = width;
        Height = height;
        Focal = 0.9 * width;
        Horizon = 0.42 * height;
    }

    /// <summary>Frame width, pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height, pixels.</summary>
    public int Height { get; }

    /// <summary>Focal length, pixels.</summary>
    public double Focal { get; }

    /// <summary>The horizon's row.</summary>
    public double Horizon { get; }

    /// <summary>Where a point <paramref name="up"/> metres above the road at (x, z) appears.</summary>
    public Point2d Project(double x, double z, double up = 0) =>
        new(Width / 2.0 + Focal * x / z, Horizon + Focal * (HeightM - up) / z);

    /// <summary>Metres to pixels at distance <paramref name="z"/>.</summary>
    public double Scale(double z) => Focal / z;
}
