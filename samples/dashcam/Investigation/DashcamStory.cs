using GradCam.Video.Investigation;

namespace GradCam.Dashcam.Investigation;

/// <summary>The dashcam's words for an investigation: a car that stops or keeps going.</summary>
public sealed class DashcamStory : InvestigationStory
{
    /// <summary>The one instance.</summary>
    public static DashcamStory Instance { get; } = new();

    /// <summary>"Why did the car stop?"</summary>
    public override string Title(string eventClass) => $"Why did the car {eventClass}?";

    /// <inheritdoc />
    public override string Reason(string eventClass, bool isReason) =>
        isReason ? $", a real reason to {eventClass}" : $", which is no reason to {eventClass}";

    /// <inheritdoc />
    public override string Compared(string compare, string eventClass, bool agrees, double probability) => agrees
        ? $"; the {compare} model stopped too (P({eventClass}) {probability:0.00})"
        : $"; the {compare} model kept going (P({eventClass}) {probability:0.00})";
}
