namespace GradCam.Fleet.Jobs;

/// <summary>One abrupt event of a drive: when, how sure, what the heat points at, and what the compared model did.</summary>
/// <remarks><c>Concentration</c> is the cause's share of the heat over its share of the frame's area;
/// <c>UnattributedDominates</c> that a hot region no object covers holds more heat than the cause.</remarks>
[GenerateSerializer, Immutable]
public sealed record EventSummary(long Frame, double TimeMs, double Probability, string? Cause, bool? CauseIsReason, bool? TruthEvent,
                                  double? CompareProbability, string FramePng, string OverlayPng, double? Concentration = null,
                                  bool UnattributedDominates = false);

/// <summary>A drive investigated: the main model's events, the compared model's event count, the verdict, and where the report is.</summary>
[GenerateSerializer, Immutable]
public sealed record DriveSummary(string DriveId, int Frames, IReadOnlyList<EventSummary> Events, int? CompareEvents, string Verdict, string Report);
