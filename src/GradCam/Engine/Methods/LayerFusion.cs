namespace GradCam.Engine.Methods;

/// <summary>How the maps of several target layers become one heatmap. Each layer's map is first upsampled to the input size and min-max normalised.</summary>
public enum LayerFusion
{
    /// <summary>The mean of the normalised maps.</summary>
    Mean,

    /// <summary>The element-wise maximum of the normalised maps.</summary>
    Max,
}
