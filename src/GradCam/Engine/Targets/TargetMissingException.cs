namespace GradCam.Engine.Targets;

/// <summary>
/// An image's target is not in it: a box rank its detections do not reach, no detection overlapping the box given.
/// The image fails, not the model: in a batch the others are still explained (<see cref="GradCamExplainer.TryExplain"/>).
/// </summary>
public sealed class TargetMissingException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: what is missing and what the image has.</param>
    public TargetMissingException(string message) : base(message)
    {
    }
}
