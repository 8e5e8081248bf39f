namespace GradCam.Fleet.Jobs;

/// <summary>One abrupt event of a drive: when, how sure, what the heat points at, and what the compared model did.</summary>
[GenerateSerializer, Immutable]
public sealed record EventSummary(long Frame, double TimeMs, double Probability, string? Cause, bool? CauseIsReason, bool? TruthEvent,
                                  double? CompareProbability, string FramePng, string OverlayPng);

/// <summary>A drive investigated: the main model's events, the compared model's event count, the verdict, and where the report is.</summary>
[GenerateSerializer, Immutable]
public sealed record DriveSummary(string DriveId, int Frames, IReadOnlyList<EventSummary> Events, int? CompareEvents, string Verdict, string Report);
