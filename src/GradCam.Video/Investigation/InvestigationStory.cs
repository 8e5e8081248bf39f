namespace GradCam.Video.Investigation;

/// <summary>
/// The words of an investigation's report: its title and how the verdict tells a finding. The library tells the
/// neutral story of a model and a class (<see cref="Neutral"/>); an application tells its own by overriding these
/// (the dashcam sample: "Why did the car stop?").
/// </summary>
public class InvestigationStory
{
    /// <summary>"What made the model predict 'stop'?"</summary>
    public static InvestigationStory Neutral { get; } = new();

    /// <summary>The report's title and heading.</summary>
    /// <param name="eventClass">The investigated class.</param>
    public virtual string Title(string eventClass) => $"What made the model predict '{eventClass}'?";

    /// <summary>What the ground truth says of the object that holds the heat, appended to the finding.</summary>
    /// <param name="eventClass">The investigated class.</param>
    /// <param name="isReason">Whether the truth gives the object as a reason for the class.</param>
    public virtual string Reason(string eventClass, bool isReason) =>
        isReason ? $", which the truth gives as a reason for '{eventClass}'" : $", which the truth gives as no reason for '{eventClass}'";

    /// <summary>What the compared model did at the event, appended to the finding.</summary>
    /// <param name="compare">The compared model's name.</param>
    /// <param name="eventClass">The investigated class.</param>
    /// <param name="agrees">Whether its P(class) was above the event threshold too.</param>
    /// <param name="probability">Its P(class) at the event's frame.</param>
    public virtual string Compared(string compare, string eventClass, bool agrees, double probability) => agrees
        ? $"; the {compare} model predicted '{eventClass}' too (P({eventClass}) {probability:0.00})"
        : $"; the {compare} model did not (P({eventClass}) {probability:0.00})";
}
