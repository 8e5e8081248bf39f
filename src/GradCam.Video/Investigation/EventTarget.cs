using GradCam.Engine;
using GradCam.Engine.Targets;
using GradCam.Models;

namespace GradCam.Video.Investigation;

/// <summary>
/// What an investigation explains in every frame and the confidence it follows: for a classifier, the event class
/// (its probability); for a detector, the best-scored box of the event's classes (<c>stop sign|pedestrian</c>; its
/// score, 0 in a frame without one).
/// </summary>
/// <param name="Target">The target explained in every frame.</param>
/// <param name="Confidence">The event's confidence in a frame's explanation.</param>
public sealed record EventTarget(ExplainTarget Target, Func<Explanation, double> Confidence)
{
    /// <summary>The event target of a model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="eventClass">A class label or index; for a detector, labels separated by <c>|</c>.</param>
    /// <exception cref="ArgumentException">A class the model does not have; the message lists its classes.</exception>
    public static EventTarget For(ImageClassifier model, string eventClass)
    {
        if (model.Detector is null)
        {
            int index = ClassIndex(model, eventClass);
            return new EventTarget(ExplainTarget.Class(index), e => e.Probabilities[index]);
        }
        var labels = eventClass.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var names = labels.Select(l => model.Labels[ClassIndex(model, l)]).ToArray();
        return new EventTarget(ExplainTarget.BestBox(names), e => e.Detection?.Score ?? 0);
    }

    private static int ClassIndex(ImageClassifier model, string name)
    {
        for (int i = 0; i < model.Labels.Count; i++)
            if (string.Equals(model.Labels[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        if (int.TryParse(name, out int index) && index >= 0 && index < model.Labels.Count) return index;
        throw new ArgumentException($"event class '{name}' is not a class of {model.Name} ({string.Join(", ", model.Labels)})");
    }
}
