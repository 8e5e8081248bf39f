namespace GradCam.Video.Investigation;

/// <summary>A frame's ground truth: whether the event should happen there, and the objects in view.</summary>
/// <param name="Frame">The frame index (0-based).</param>
/// <param name="TimeS">Its time in seconds.</param>
/// <param name="Event">The label: true when the event (e.g. <c>stop</c>) is right for this frame.</param>
/// <param name="Objects">The visible objects, front to back.</param>
public sealed record TruthFrame(int Frame, double TimeS, bool Event, IReadOnlyList<TruthObject> Objects);
