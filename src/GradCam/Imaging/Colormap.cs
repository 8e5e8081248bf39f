namespace GradCam.Imaging;

/// <summary>How heat values in [0, 1] are coloured.</summary>
public enum Colormap
{
    /// <summary>OpenCV's JET (blue, cyan, yellow, red), the colouring most Grad-CAM tools use.</summary>
    Jet,

    /// <summary>matplotlib's diverging <c>coolwarm</c> (blue, grey, red), the reference article's choice.</summary>
    Coolwarm,

    /// <summary>Google's Turbo: JET's range with perceptually smoother steps.</summary>
    Turbo,
}
