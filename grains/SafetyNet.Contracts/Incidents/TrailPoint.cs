using SafetyNet.Contracts.Geo;

namespace SafetyNet.Contracts.Incidents;

/// <summary>Where the person of an SOS incident was, how sure the fix is, when, and who reported it ("agency/operator").</summary>
[GenerateSerializer, Immutable, Alias("trail-point")]
public sealed record TrailPoint(
    [property: Id(0)] GeoPoint Position,
    [property: Id(1)] double? AccuracyMeters,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string ReportedBy);
