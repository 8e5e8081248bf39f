namespace GradCam.Onnx.Converters;

/// <summary>Small helpers shared by converters.</summary>
internal static class Axes
{
    /// <summary>A possibly negative axis as a dimension index of a tensor of the given rank.</summary>
    public static int Normalise(OnnxNodeContext node, long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw node.Error($"axis {axis} is out of range for a tensor of rank {rank}");
        return (int)a;
    }
}
