namespace GradCam.MLNet;

/// <summary>The resolution of the heatmap column.</summary>
public enum HeatmapResolution
{
    /// <summary>The model's input size (224x224 for ImageNet models): the CAM upsampled bilinearly.</summary>
    Input,

    /// <summary>The target layer's own resolution (14x14 for vgg16's features.28), min-max normalised.</summary>
    Layer,
}
