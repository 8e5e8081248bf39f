namespace GradCam.MLNet;

/// <summary>How a float-vector input column encodes pixels (as <c>ExtractPixels</c> writes them).</summary>
public enum PixelChannelOrder
{
    /// <summary>Red, green, blue: <c>ExtractPixels</c>' default (<c>ColorsOrder.ARGB</c> without alpha).</summary>
    Rgb,

    /// <summary>Blue, green, red (e.g. <c>orderOfExtraction: ColorsOrder.ABGR</c>).</summary>
    Bgr,
}
